package org.portcullis.db;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A named lease that keeps two runs of one operator command apart, also on different hosts
 * sharing the database. Taken with one conditional write: free, expired, or held by a process of
 * this host that no longer exists (a run killed with -9 does not make the next run wait for the
 * expiry). The holder renews it as it makes progress.
 *
 * <p>It lives in {@code job_leases}, the table {@link JobLease} uses for background jobs: the same
 * row (name, holder, expiry) serves both, renewed and released by the same statements. It is not a
 * mode of {@link JobLease} because everything else differs, each for its caller:
 * <ul>
 * <li>Taking: an operator at a terminal is told at once who holds the lease, so this reads the row
 *     and then updates it conditionally; a node's job that finds its lease held simply skips the
 *     round, so {@link JobLease} takes it with one upsert that only says yes or no.
 * <li>The holder: here {@code host:pid}, so the next run on the same host can see that the holder
 *     is gone (killed with -9) and take over without waiting for the expiry; a {@link JobLease}
 *     holder carries a random tag instead, because a restarted node may get its old pid back, and
 *     a node re-takes its own lease by that name on every round.
 * <li>Lifetime: one acquire, renew and close per command run; {@link JobLease} owns a scheduler
 *     thread that retries its jobs every period, which a short-lived command does not want.
 * </ul>
 * One class with a mode switch would branch in each of these places and share only the two
 * statements that are already shared.
 */
public final class Lease implements AutoCloseable {
    private final Database db;
    private final Clock clock;
    private final String name;
    private final String holder;
    private final Duration ttl;

    private Lease(Database db, Clock clock, String name, String holder, Duration ttl) {
        this.db = db;
        this.clock = clock;
        this.name = name;
        this.holder = holder;
        this.ttl = ttl;
    }

    /** Who this process is, as leases record it: {@code host:pid}. */
    public static String self() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    /** The lease, or the current holder's description when someone else has it. */
    public static Result acquire(Database db, Clock clock, String name, Duration ttl) {
        try {
            return take(db, clock, name, ttl);
        } catch (RuntimeException e) {
            // PostgreSQL: two runs inserting the lease at once; the primary key lets one win
            return new Result(null, "another run that took it at the same moment, or the database refused: "
                    + e.getMessage());
        }
    }

    private static Result take(Database db, Clock clock, String name, Duration ttl) {
        String me = self();
        return db.write(h -> {
            long now = clock.millis();
            Optional<String[]> current = h.createQuery("SELECT holder, expires_at FROM job_leases WHERE name = :n")
                    .bind("n", name).map((rs, ctx) -> new String[] {rs.getString(1), Long.toString(rs.getLong(2))})
                    .findOne();
            if (current.isEmpty()) {
                h.createUpdate("INSERT INTO job_leases (name, holder, expires_at) VALUES (:n, :h, :e)")
                        .bind("n", name).bind("h", me).bind("e", now + ttl.toMillis()).execute();
                return new Result(new Lease(db, clock, name, me, ttl), null);
            }
            String holder = current.get()[0];
            long expires = Long.parseLong(current.get()[1]);
            if (expires > now && !deadOnThisHost(holder)) {
                return new Result(null, holder + " until " + java.time.Instant.ofEpochMilli(expires));
            }
            int taken = h.createUpdate("UPDATE job_leases SET holder = :h, expires_at = :e WHERE name = :n "
                            + "AND holder = :old AND expires_at = :oldExp")
                    .bind("h", me).bind("e", now + ttl.toMillis()).bind("n", name).bind("old", holder)
                    .bind("oldExp", expires).execute();
            return taken == 1 ? new Result(new Lease(db, clock, name, me, ttl), null)
                    : new Result(null, "another run that took it a moment ago");
        });
    }

    /** The lease, or who holds it. */
    public record Result(Lease lease, String heldBy) {}

    private static boolean deadOnThisHost(String holder) {
        String me = self();
        int colon = holder.lastIndexOf(':');
        if (colon < 0 || !holder.substring(0, colon).equals(me.substring(0, me.lastIndexOf(':')))) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(holder.substring(colon + 1))).isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Extends the lease; false when it was lost (expired and taken by another run): stop then. */
    public boolean renew() {
        return JobLease.extend(db, name, holder, clock.millis() + ttl.toMillis());
    }

    @Override
    public void close() {
        JobLease.release(db, name, holder);
    }
}
