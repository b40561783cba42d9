package org.portcullis.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;
import org.portcullis.http.IdempotencyGuard.Answer;
import org.portcullis.testing.ManualClock;

/** Keys on a real SQLite database with a hand-moved clock: replay, mismatch, expiry, purge. */
class IdempotencyKeysTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Database db;
    private IdempotencyKeys keys;

    @BeforeEach
    void open() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-idem");
        db = Database.open(DatabaseSettings.sqliteFile(dir.resolve("db.sqlite"), 4));
        keys = new IdempotencyKeys(db, Duration.ofHours(24), clock);
    }

    @AfterEach
    void close() {
        keys.end();
        db.close();
    }

    private void create(String project, String key, String hash, String id) {
        assertThat(keys.begin(project, key, hash)).isNull();
        try {
            db.write(h -> {
                IdempotentCreate.record(h, 201, "secret_ref", "/v1/secrets/" + id);
                return null;
            });
        } finally {
            keys.end();
        }
    }

    @Test
    void aRetryGetsTheFirstAnswerAndAnotherRequestWithTheKeyIs422() {
        create("p1", "k1", "hash-a", "s1");
        assertThat(keys.begin("p1", "k1", "hash-a")).isEqualTo(new Answer(201, "secret_ref", "/v1/secrets/s1"));
        assertThatThrownBy(() -> keys.begin("p1", "k1", "hash-b"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
        keys.end();
        assertThat(keys.begin("p2", "k1", "hash-b")).as("keys are per project").isNull();
    }

    @Test
    void aKeyTakenByAConcurrentRequestRollsBackTheLoser() {
        create("p1", "k1", "hash-a", "winner"); // the other request committed first
        // This request looked the key up before that commit, so it holds it as pending.
        IdempotentCreate.begin(new IdempotentCreate.Pending("p1", "k1", "hash-a", clock.millis(),
                clock.millis() - Duration.ofHours(24).toMillis()));
        assertThatThrownBy(() -> db.write(h -> {
            IdempotentCreate.record(h, 201, "secret_ref", "/v1/secrets/loser");
            return null;
        })).isInstanceOf(IdempotentCreate.KeyTaken.class);
        keys.end();
        assertThat(keys.begin("p1", "k1", "hash-a").refPath()).isEqualTo("/v1/secrets/winner");
    }

    @Test
    void keysExpireAfterTheirLifetimeAndArePurged() {
        create("p1", "k1", "hash-a", "s1");
        clock.advance(Duration.ofHours(24).plusMillis(1));
        assertThat(keys.begin("p1", "k1", "hash-b")).as("expired: a new request may use it").isNull();
        keys.end();
        assertThat(keys.purgeExpired()).isEqualTo(1);
        create("p1", "k1", "hash-b", "s2");
        assertThat(keys.begin("p1", "k1", "hash-b").refPath()).isEqualTo("/v1/secrets/s2");
    }
}
