package org.portcullis.db;

import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionException;

/**
 * How many reads run on PostgreSQL at once, admitted in arrival order ({@code [database]
 * read_limit}). With 16 pooled connections on 2 cores, 16 backends competed for the cores (their
 * waits for a core summed to 21.9 s in a 10 s bench); a pool of 4 cut that to 3.9 s but Hikari
 * hands a returned connection to any waiter, not the oldest, so a GET's p99 rose to 134 ms. A fair
 * semaphore taken before the connection is borrowed and released after it is returned keeps the
 * few busy backends and serves the waiters first come, first served.
 *
 * <p>A thread that already holds a permit or a write connection ({@link #holding}) is not limited
 * again: a read nested in it would otherwise wait for permits held by threads that wait for its
 * connection. A read that gets no permit within the wait for a pooled connection fails as an
 * unreachable database does (a 503, {@link DatabaseUnavailable}).
 */
final class ReadLimit {
    private static final ReadLimit NONE = new ReadLimit(null, 0);

    private final Semaphore permits; // null: no limit (SQLite, or read_limit = 0)
    private final long waitNanos;
    private final ThreadLocal<Boolean> held = new ThreadLocal<>();

    private ReadLimit(Semaphore permits, long waitNanos) {
        this.permits = permits;
        this.waitNanos = waitNanos;
    }

    /** At most {@code limit} reads at once (0: no limit), each waiting at most {@code waitSeconds} for its turn. */
    static ReadLimit of(int limit, int waitSeconds) {
        return limit <= 0 ? NONE : new ReadLimit(new Semaphore(limit, true), TimeUnit.SECONDS.toNanos(waitSeconds));
    }

    static ReadLimit none() {
        return NONE;
    }

    /**
     * Takes a permit for this thread's read once one is free (FIFO); false when the read needs none
     * (no limit, or this thread holds a permit or a write connection already). A caller given true
     * calls {@link #exit} however its read ends.
     */
    boolean enter() {
        if (permits == null || held.get() != null) {
            return false;
        }
        acquire();
        held.set(Boolean.TRUE);
        return true;
    }

    /** Gives back the permit {@link #enter} took. */
    void exit() {
        held.remove();
        permits.release();
    }

    /** Runs {@code work}, which holds a write connection, with the reads it makes exempt from the limit. */
    <T, X extends Exception> T holding(DatabaseReads.Timed<T, X> work) throws X {
        if (permits == null || held.get() != null) {
            return work.run();
        }
        held.set(Boolean.TRUE);
        try {
            return work.run();
        } finally {
            held.remove();
        }
    }

    /**
     * Takes a free permit without a timer when there is one (a virtual thread's timed park arms and
     * cancels a timer task); otherwise waits its turn for at most {@code waitNanos}, as for a pool
     * connection, and then fails as if the pool had had none: a holder whose query hangs (a
     * partition that drops packets, a lock held elsewhere) must not hold up every read behind it
     * without an answer, so an outage still answers 503 within the wait.
     */
    private void acquire() {
        try {
            if (permits.tryAcquire(0, TimeUnit.NANOSECONDS) || permits.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(new SQLTransientConnectionException("interrupted waiting for a read slot", e));
        }
        throw new ConnectionException(new SQLTransientConnectionException(
                "no read slot free within " + TimeUnit.NANOSECONDS.toSeconds(waitNanos) + " s"));
    }
}
