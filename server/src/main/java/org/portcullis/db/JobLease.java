package org.portcullis.db;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a background job (expiry scan, purge, rotation, migration) on one node at a time through a
 * lease row in the shared database: {@code holder} until {@code expires_at}. A job renews its
 * lease as it goes ({@link JobLease.Lease#renew}, once per batch); a node that dies stops renewing, its
 * lease lapses after {@code ttl}, and the next node to try takes the job over. A lease row works
 * the same on SQLite and PostgreSQL and survives a failover, where a session-bound advisory lock
 * would not. Node clocks are compared, so keep them in NTP sync (skew well below {@code ttl}).
 *
 * <p>Operator commands take their leases in the same table through {@link org.portcullis.db.Lease}
 * (one store migration per source store): same row, renewed and released by the same statements
 * ({@link #extend(Database, String, String, long)}, {@link #release}), but taken differently; see
 * there why that is a class of its own and not a mode of this one.
 */
public final class JobLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobLease.class);

    private final Database db;
    private final String holder;
    private final Duration ttl;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r ->
            Thread.ofPlatform().name("jobs").daemon(true).unstarted(r));

    public JobLease(Database db, String holder, Duration ttl, Clock clock) {
        this.db = db;
        this.holder = holder;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** This process, as a lease holder: host, pid and a random tag (a pid is reused after a restart). */
    public static String processHolder() {
        String host = System.getenv().getOrDefault("HOSTNAME", "node");
        return host + ":" + ProcessHandle.current().pid() + ":" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** A held lease, handed to the job. */
    public interface Lease {
        /** Extends the lease; false once another node has taken it (the job must stop). */
        boolean renew();
    }

    /** A job run under a lease. */
    @FunctionalInterface
    public interface Job {
        void run(Lease lease) throws Exception;
    }

    /**
     * Runs {@code job} here if no other node holds {@code name}; returns whether it ran. The lease
     * is released when the job ends, so the next run may be on any node.
     */
    public boolean runExclusively(String name, Job job) throws Exception {
        if (!acquire(name)) {
            return false;
        }
        try {
            job.run(() -> extend(name));
            return true;
        } finally {
            release(db, name, holder);
        }
    }

    /** Tries {@code job} every {@code period} (first after one period); runs on whichever node gets the lease. */
    public void every(String name, Duration period, Job job) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                runExclusively(name, job);
            } catch (Exception e) {
                LOG.warn("job {} failed on {}: {}", name, holder, e.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean acquire(String name) {
        long now = clock.millis();
        return db.write(h -> h.createUpdate("""
                INSERT INTO job_leases (name, holder, expires_at) VALUES (:name, :holder, :expires)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE job_leases.expires_at < :now OR job_leases.holder = excluded.holder""")
                .bind("name", name).bind("holder", holder).bind("expires", now + ttl.toMillis()).bind("now", now)
                .execute()) == 1;
    }

    private boolean extend(String name) {
        boolean held = extend(db, name, holder, clock.millis() + ttl.toMillis());
        if (!held) {
            LOG.warn("job {}: {} lost its lease to another node; stopping", name, holder);
        }
        return held;
    }

    /** Moves the expiry of {@code holder}'s lease; false when {@code holder} no longer holds it. */
    static boolean extend(Database db, String name, String holder, long expiresAt) {
        return db.write(h -> h.createUpdate(
                "UPDATE job_leases SET expires_at = :expires WHERE name = :name AND holder = :holder")
                .bind("expires", expiresAt).bind("name", name).bind("holder", holder).execute()) == 1;
    }

    /** Gives {@code holder}'s lease up (nothing when another holder has it by now). */
    static void release(Database db, String name, String holder) {
        db.write(h -> h.createUpdate("DELETE FROM job_leases WHERE name = :name AND holder = :holder")
                .bind("name", name).bind("holder", holder).execute());
    }

    /** Stops scheduling; a job in progress is interrupted and given a moment to end before the database closes. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
