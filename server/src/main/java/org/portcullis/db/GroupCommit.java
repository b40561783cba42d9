package org.portcullis.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on SQLite's one writer connection: the changes of concurrent requests share one
 * transaction and one fsync.
 *
 * <p>A request {@link #join joins} the open batch transaction at its first change (or begins a new
 * one) and holds the writer mutex, inside its own savepoint, until its handler has returned — so
 * its audit event takes its place in the HMAC chain in commit order, its reads see its own writes,
 * and a handler that throws rolls back only its savepoint. It then {@link Member#finish finishes}:
 * it releases the mutex without waiting for any fsync and waits for its batch. The committer
 * thread closes a batch once it has a finished member: it waits for the members' audit events to
 * be durable (first without the mutex, so that requests keep joining the batch meanwhile), then
 * COMMITs (one fsync for all) and answers every member. Requests arriving during a commit queue
 * for the mutex and form the next batch.
 *
 * <p>Why not one transaction per request: SQLite has one writer, so a request would hold it across
 * its audit fsync and its commit fsync, and throughput would be one request per two fsyncs.
 * Why members and not a queue of closures run by the committer: a handler mixes reads, checks,
 * crypto and changes in plain code on its own thread; the savepoint gives it the same all-or-nothing
 * a transaction of its own gave it.
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final Jdbi writer;
    // Fair: the committer, once it asks for the mutex, goes after the requests already waiting and
    // before those that come later, so a batch is bounded and none waits forever.
    private final ReentrantLock mutex = new ReentrantLock(true);
    private final Condition finished = mutex.newCondition();
    private final Thread committer;
    private Batch open; // guarded by mutex
    private boolean closed; // guarded by mutex

    GroupCommit(Jdbi writer) {
        this.writer = writer;
        this.committer = Thread.ofPlatform().name("sqlite-group-commit").daemon(true).start(this::commitLoop);
    }

    /** The transaction the members of one batch share, and its outcome. */
    private static final class Batch {
        final Handle handle;
        final List<Member> finished = new ArrayList<>();
        final CompletableFuture<Void> outcome = new CompletableFuture<>();
        RuntimeException doomed; // set when the shared transaction can no longer commit

        Batch(Handle handle) {
            this.handle = handle;
        }
    }

    /**
     * Takes the writer mutex and opens the caller's savepoint in the open batch (beginning one if
     * none is open). The caller holds the mutex until it calls {@link Member#finish} or {@link
     * Member#abort}, on this same thread.
     */
    Member join() {
        mutex.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the database is closed");
            }
            boolean fresh = open == null;
            if (fresh) {
                open = new Batch(begin());
            }
            Member m = new Member(open);
            try {
                savepointStatement(open.handle, SAVEPOINT);
            } catch (RuntimeException e) {
                if (fresh || open.finished.isEmpty()) {
                    discard(open);
                } else {
                    open.doomed = e;
                }
                throw e;
            }
            return m;
        } catch (RuntimeException | Error e) {
            mutex.unlock();
            throw e;
        }
    }

    private Handle begin() {
        Handle h = writer.open();
        try {
            h.begin();
            return h;
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    // One name for every member's savepoint: members take their turns under the mutex, so the
    // most recent savepoint of that name, the one these statements act on, is always the current
    // member's (one rolled back to stays on SQLite's stack beneath it until the COMMIT). One name
    // means three texts, each prepared once on the writer connection instead of parsed per request.
    private static final String SAVEPOINT = "SAVEPOINT member";
    private static final String RELEASE = "RELEASE SAVEPOINT member";
    private static final String ROLLBACK_TO = "ROLLBACK TO SAVEPOINT member";

    /** Runs a savepoint statement on the batch's connection, its statement from the connection's cache. */
    private static void savepointStatement(Handle h, String sql) {
        try {
            Connection conn = h.getConnection();
            SqliteConnection sqlite = CachingStatementBuilder.sqlite(conn);
            PreparedStatement statement = CachingStatementBuilder.lend(sqlite, conn, sql);
            try {
                statement.execute();
            } finally {
                CachingStatementBuilder.giveBack(sqlite, statement);
            }
        } catch (SQLException e) {
            throw new TransactionException("could not run " + sql, e);
        }
    }

    /** One request's (or one {@link Database#write}'s) part of a batch. */
    final class Member {
        private final Batch batch;
        private List<Durable> durables = List.of();

        private Member(Batch batch) {
            this.batch = batch;
        }

        Handle handle() {
            return batch.handle;
        }

        /**
         * Undoes what the member changed so far and keeps its savepoint (SQLite leaves a savepoint
         * rolled back to on its stack): it goes on, and may change more, in the same batch.
         */
        void undo() {
            savepointStatement(batch.handle, ROLLBACK_TO);
        }

        /**
         * Keeps the member's changes, lets go of the mutex and waits until its batch is committed
         * after every member's {@code durables} completed; throws what failed the batch.
         */
        void finish(List<Durable> mustBeDurable) {
            try {
                durables = List.copyOf(mustBeDurable);
                savepointStatement(batch.handle, RELEASE);
            } catch (RuntimeException e) {
                batch.doomed = e;
            } finally {
                batch.finished.add(this);
                finished.signal();
                mutex.unlock();
            }
            batch.outcome.join();
        }

        /**
         * Undoes the member's changes only, lets go of the mutex, and waits until the rest of its
         * batch is settled: the failure may come from what the others changed (a unique key taken
         * in the same batch), and the caller's next look, often on a reader connection, must find
         * that committed, as it would have without group commit. (SQLite keeps a savepoint rolled
         * back to on its stack; the batch's COMMIT ends it.)
         */
        void abort() {
            boolean alone = batch.finished.isEmpty();
            try {
                savepointStatement(batch.handle, ROLLBACK_TO);
            } catch (RuntimeException e) {
                LOG.warn("a request's rollback failed; its whole batch is rolled back: {}", e.toString());
                batch.doomed = e;
            } finally {
                if (alone) {
                    // nobody else is in it: do not keep SQLite's write lock for nothing
                    discard(batch);
                }
                mutex.unlock();
            }
            if (!alone) {
                batch.outcome.exceptionally(e -> null).join();
            }
        }
    }

    /** Rolls back a batch that has no finished member and closes its handle. Under the mutex. */
    private void discard(Batch batch) {
        if (open == batch) {
            open = null;
        }
        end(batch, false);
    }

    private void commitLoop() {
        while (true) {
            List<Member> early;
            mutex.lock();
            try {
                while (!closed && (open == null || open.finished.isEmpty())) {
                    finished.awaitUninterruptibly();
                }
                if (open == null || open.finished.isEmpty()) {
                    return;
                }
                early = List.copyOf(open.finished);
            } finally {
                mutex.unlock();
            }
            // Their events are in the audit writer's queue already; while it syncs them, more
            // requests join this batch.
            early.forEach(m -> m.durables.forEach(Durable::await));
            Batch batch;
            mutex.lock();
            try {
                batch = open;
                open = null;
                settle(batch);
            } finally {
                mutex.unlock();
            }
        }
    }

    /** Commits the batch once all its members' events are durable, or rolls it back; answers them. */
    private void settle(Batch batch) {
        RuntimeException failure = batch.doomed;
        for (Member m : batch.finished) {
            for (Durable d : m.durables) {
                RuntimeException f = d.await();
                failure = failure == null ? f : failure;
            }
        }
        if (failure == null) {
            try {
                batch.handle.commit();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        end(batch, failure == null);
        if (failure == null) {
            batch.outcome.complete(null);
        } else {
            batch.outcome.completeExceptionally(failure);
        }
    }

    /** Rolls back unless committed, and gives the connection back; a broken connection is logged only. */
    private static void end(Batch batch, boolean committed) {
        try {
            if (!committed && batch.handle.isInTransaction()) {
                batch.handle.rollback();
            }
        } catch (RuntimeException e) {
            LOG.warn("a batch's rollback failed; the database discards its open transaction: {}", e.toString());
        } finally {
            try {
                batch.handle.close();
            } catch (RuntimeException e) {
                LOG.warn("the writer connection did not close cleanly: {}", e.toString());
            }
        }
    }

    /** Commits what is pending, then stops the committer. */
    @Override
    public void close() {
        mutex.lock();
        try {
            closed = true;
            finished.signal();
        } finally {
            mutex.unlock();
        }
        try {
            committer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
