package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.testing.ManualClock;

/**
 * Two nodes' lease holders on one real (SQLite) database and a hand-moved clock: one runs a job at
 * a time; a holder that stops renewing (a dead node) loses the job to the other after the lease
 * time, and learns it on its next renewal.
 */
class JobLeaseTest {
    private static final Duration TTL = Duration.ofMinutes(2);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Database db;
    private JobLease nodeA;
    private JobLease nodeB;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(DatabaseSettings.sqliteFile(Files.createTempDirectory("lease").resolve("db.sqlite"), 4));
        nodeA = new JobLease(db, "a", TTL, clock);
        nodeB = new JobLease(db, "b", TTL, clock);
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
        db.close();
    }

    @Test
    void oneNodeAtATimeAndTheNextRunMayBeAnywhere() throws Exception {
        AtomicBoolean bRan = new AtomicBoolean();
        assertThat(nodeA.runExclusively("purge", lease -> {
            assertThat(nodeB.runExclusively("purge", l -> bRan.set(true))).isFalse();
            assertThat(nodeB.runExclusively("other-job", l -> { })).as("other jobs are free").isTrue();
            clock.advance(TTL.dividedBy(2));
            assertThat(lease.renew()).isTrue();
            clock.advance(TTL.dividedBy(2).plusSeconds(1));
            assertThat(nodeB.runExclusively("purge", l -> bRan.set(true))).as("renewed: still A's").isFalse();
        })).isTrue();
        assertThat(bRan).isFalse();
        assertThat(nodeB.runExclusively("purge", l -> bRan.set(true))).as("released when A finished").isTrue();
        assertThat(bRan).isTrue();
    }

    @Test
    void aDeadHoldersJobIsTakenOverAfterItsLeaseLapses() throws Exception {
        AtomicBoolean bRan = new AtomicBoolean();
        AtomicBoolean aStillHeld = new AtomicBoolean(true);
        nodeA.runExclusively("rotation", lease -> {
            // A stops renewing, as a killed node does; while its lease runs, B must wait.
            assertThat(nodeB.runExclusively("rotation", l -> bRan.set(true))).isFalse();
            clock.advance(TTL.plusMillis(1));
            assertThat(nodeB.runExclusively("rotation", l -> {
                bRan.set(true);
                aStillHeld.set(lease.renew()); // A wakes up mid-job: it must see it lost the lease
            })).isTrue();
        });
        assertThat(bRan).isTrue();
        assertThat(aStillHeld).isFalse();
    }
}
