package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.testing.ManualClock;

/**
 * The operator commands' lease on a real (SQLite) database and a hand-moved clock: a second run is
 * told who holds it; a run killed on this host is taken over at once, one elsewhere only after its
 * expiry; a holder that lost its lease learns it when it renews.
 */
class LeaseTest {
    private static final Duration TTL = Duration.ofMinutes(2);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Database db;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(DatabaseSettings.sqliteFile(Files.createTempDirectory("lease").resolve("db.sqlite"), 4));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void holdAs(String holder, Instant until) {
        db.write(h -> h.createUpdate("INSERT INTO job_leases (name, holder, expires_at) VALUES ('migrate', :h, :e)")
                .bind("h", holder).bind("e", until.toEpochMilli()).execute());
    }

    @Test
    void aSecondRunIsToldWhoHoldsItUntilTheFirstCloses() {
        Lease.Result first = Lease.acquire(db, clock, "migrate", TTL);
        assertThat(first.lease()).isNotNull();
        Lease.Result second = Lease.acquire(db, clock, "migrate", TTL);
        assertThat(second.lease()).isNull();
        assertThat(second.heldBy()).startsWith(Lease.self() + " until ");
        assertThat(first.lease().renew()).isTrue();
        first.lease().close();
        assertThat(Lease.acquire(db, clock, "migrate", TTL).lease()).isNotNull();
    }

    @Test
    void aRunKilledOnThisHostIsTakenOverWithoutWaitingForItsExpiry() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String self = Lease.self();
        holdAs(self.substring(0, self.lastIndexOf(':') + 1) + gone.pid(), clock.instant().plus(TTL));
        assertThat(Lease.acquire(db, clock, "migrate", TTL).lease()).isNotNull();
    }

    @Test
    void aRunOnAnotherHostKeepsItUntilItsExpiryAndThenLosesIt() {
        holdAs("elsewhere:1", clock.instant().plus(TTL));
        assertThat(Lease.acquire(db, clock, "migrate", TTL).heldBy()).startsWith("elsewhere:1 until ");
        clock.advance(TTL.plusSeconds(1));
        Lease.Result taken = Lease.acquire(db, clock, "migrate", TTL);
        assertThat(taken.lease()).isNotNull();

        db.write(h -> h.createUpdate("UPDATE job_leases SET holder = 'elsewhere:2' WHERE name = 'migrate'").execute());
        assertThat(taken.lease().renew()).as("lost to another run").isFalse();
        taken.lease().close();
        assertThat(Lease.acquire(db, clock, "migrate", TTL).heldBy()).as("close leaves another's lease alone")
                .startsWith("elsewhere:2");
    }
}
