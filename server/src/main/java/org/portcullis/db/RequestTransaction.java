package org.portcullis.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer transaction of an API request whose changes wait for the request's audit event
 * ({@link Database#inRequest}). Opened at the request's first {@link Database#change}, committed
 * once the handler has returned and its audit event is durable, or rolled back when the handler
 * throws (the audit trail refused the event, a later check failed). On PostgreSQL it is a
 * transaction of its own; on SQLite it is the request's savepoint in a {@link GroupCommit} batch.
 * Confined to the request's thread.
 */
final class RequestTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(RequestTransaction.class);
    private final Jdbi writer;
    private final GroupCommit group;
    private final StatementCommitter committer;
    private Handle handle;
    private GroupCommit.Member member;
    private final List<Durable> durables = new ArrayList<>();
    private int savepoints;
    private boolean kept; // a change of this request succeeded (its rows are in its transaction)
    private int changing; // changes under way (nested ones included)
    // PostgreSQL: the checks (locks, no rows) that ran before anything was kept, run again after a
    // failed change rolled the whole transaction back; if one then fails, no change may follow, and
    // each is refused with that check's own failure (a quota reached meanwhile is the quota's 403).
    private final List<HandleCallback<?, ?>> checks = new ArrayList<>();
    private RuntimeException lostCheck;
    private long openedAtNanos;
    // PostgreSQL: sent with the COMMIT (Database#changeAtCommit); with no handle, by the committer
    private CommitStatement atCommit;
    private final List<Runnable> afterCommit = new ArrayList<>();
    private final List<Runnable> afterRollback = new ArrayList<>();

    /**
     * A transaction of its own on {@code writer}, or, when {@code group} is given, a part of its
     * batches; {@code committer} (PostgreSQL) commits a lone {@link CommitStatement} with others.
     */
    RequestTransaction(Jdbi writer, GroupCommit group, StatementCommitter committer) {
        this.writer = writer;
        this.group = group;
        this.committer = committer;
    }

    /** Whether the request changed something (or holds a connection for it). */
    boolean open() {
        return handle != null || atCommit != null;
    }

    Handle handle() {
        if (handle == null && group != null) {
            member = group.join();
            handle = member.handle();
            openedAtNanos = System.nanoTime();
        } else if (handle == null) {
            Handle h = writer.open();
            try {
                h.begin();
            } catch (RuntimeException e) {
                h.close();
                throw e;
            }
            handle = h;
            openedAtNanos = System.nanoTime();
        }
        return handle;
    }

    /** When the transaction began ({@link System#nanoTime}), 0 if the request changed nothing. */
    long openedAtNanos() {
        return openedAtNanos;
    }

    /**
     * Runs one change inside a savepoint: a change that throws leaves nothing behind even when its
     * caller catches the exception and goes on (PostgreSQL needs it to go on at all).
     *
     * <p>No savepoint when nothing before the change is kept (the request's first change, or every
     * change before it failed): on SQLite the member's own savepoint, taken when the request joined
     * its batch, holds this change alone, and on PostgreSQL the whole transaction is rolled back
     * instead and the next statement begins a new one. A savepoint more is two statements more:
     * on SQLite on the one writer every request queues for, which also copies every page the
     * change touches into its sub-journal once per open savepoint; on PostgreSQL two round trips
     * of every POST. PostgreSQL's savepoints are never released (the commit releases them all; a
     * released subtransaction keeps its id all the same); SQLite's are, for the sub-journal.
     */
    <T, X extends Exception> T change(HandleCallback<T, X> work) throws X {
        return run(work, true);
    }

    /**
     * Work that reads and locks but writes no row ({@link Database#check}), e.g. a quota check under
     * its advisory lock; it must give the same answer when run again. On PostgreSQL, before anything
     * is kept, it leaves the next change without a savepoint (one round trip less): if that change
     * fails, the whole transaction is rolled back and the checks run again in the next one (a
     * check that then fails is thrown at the next change). Elsewhere (SQLite, or once something is
     * kept) a {@link #change}.
     */
    <T, X extends Exception> T check(HandleCallback<T, X> work) throws X {
        if (group != null || kept || changing > 0) {
            return change(work);
        }
        T result = run(work, false);
        checks.add(work);
        return result;
    }

    private <T, X extends Exception> T run(HandleCallback<T, X> work, boolean keeps) throws X {
        if (lostCheck != null) {
            throw lostCheck;
        }
        Handle h = handle();
        boolean first = !kept && changing == 0;
        Savepoint savepoint = first ? null : savepoint(h);
        CommitStatement atCommitBefore = atCommit;
        changing++;
        T result;
        try {
            result = work.withHandle(h);
            kept |= keeps;
        } catch (Exception | Error e) {
            try {
                if (first) {
                    kept = false; // a nested change that succeeded went with it
                    undoAll(h, e);
                } else {
                    h.getConnection().rollback(savepoint);
                    atCommit = atCommitBefore;
                }
            } catch (SQLException | RuntimeException rollback) {
                // The connection is gone (the whole transaction goes with it): the change's own
                // failure, e.g. a database that became unreachable (503), is what the caller sees.
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            changing--;
        }
        if (savepoint != null && group != null) {
            release(h, savepoint);
        }
        return result;
    }

    /** Undoes everything the request changed: its member's savepoint on SQLite, its transaction on PostgreSQL. */
    private void undoAll(Handle h, Throwable failure) throws SQLException {
        if (member != null) {
            member.undo();
        } else {
            h.getConnection().rollback();
            atCommit = null;
            checkAgain(h, failure);
        }
    }

    private void checkAgain(Handle h, Throwable failure) {
        try {
            for (HandleCallback<?, ?> check : checks) {
                check.withHandle(h);
            }
        } catch (RuntimeException e) {
            lostCheck = e;
            failure.addSuppressed(e);
        } catch (Exception | Error e) {
            lostCheck = new IllegalStateException("a check failed when run again after a failed change", e);
            failure.addSuppressed(e);
        }
    }

    private Savepoint savepoint(Handle h) {
        try {
            return h.getConnection().setSavepoint("change_" + (++savepoints));
        } catch (SQLException e) {
            throw new TransactionException("could not set a savepoint", e);
        }
    }

    private static void release(Handle h, Savepoint savepoint) {
        try {
            h.getConnection().releaseSavepoint(savepoint);
        } catch (SQLException e) {
            throw new TransactionException("could not release a savepoint", e);
        }
    }

    void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    void afterRollback(Runnable action) {
        afterRollback.add(action);
    }

    /**
     * Sends {@code statement} with the COMMIT, in its round trip; false on SQLite, or when the
     * transaction holds such a statement already (the caller runs it itself). A change that fails
     * around it takes it back with its own rows. If it is the request's only change (no connection
     * taken yet), the committer sends it, with other requests' ({@link StatementCommitter}).
     */
    boolean atCommit(CommitStatement statement) {
        if (group != null || atCommit != null) {
            return false;
        }
        if (lostCheck != null) {
            throw lostCheck;
        }
        if (openedAtNanos == 0) {
            openedAtNanos = System.nanoTime();
        }
        atCommit = statement;
        kept = true;
        return true;
    }

    /** Makes the commit wait for {@code d}; false when nothing is open to wait (the caller waits itself). */
    boolean commitAfter(Durable d) {
        if (!open()) {
            return false;
        }
        durables.add(d);
        return true;
    }

    /**
     * Commits (if anything was changed) once what it waits for is durable, then runs what waited
     * for the commit. Throws the refusal of its own event that failed, or {@link
     * CommitFailedException} when the commit failed after its event was written.
     */
    void commit() {
        if (member != null) {
            commitInBatch();
        } else if (handle != null) {
            awaitDurables();
            try {
                if (atCommit != null) {
                    commitWith(atCommit);
                }
                handle.commit(); // after commitWith: no round trip, the driver sees no transaction open
            } catch (RuntimeException e) {
                if (answerLost(e)) {
                    closeBroken();
                    abandon();
                    throw new CommitFailedException(e, true);
                }
                rollback();
                throw new CommitFailedException(e);
            }
            handle.close();
            handle = null;
        } else if (atCommit != null) {
            boolean handedOver;
            try {
                handedOver = committer.commitAfter(durables, atCommit);
            } catch (CommitFailedException e) {
                if (e.outcomeUnknown()) {
                    abandon();
                } else {
                    rollback();
                }
                throw e;
            }
            if (!handedOver) {
                awaitDurables(); // rolls back and throws the first refusal, in the order written
            }
        }
        atCommit = null;
        afterCommit.forEach(Runnable::run);
    }

    /** Waits for what the commit must follow; rolls back and throws the refusal of one that failed. */
    private void awaitDurables() {
        for (Durable d : durables) {
            RuntimeException refused = d.await();
            if (refused != null) {
                rollback();
                throw refused;
            }
        }
    }

    /**
     * The statement and COMMIT in one round trip: the driver sends a statement of several commands
     * as one pipeline with one sync. If the change fails, the server skips the COMMIT and the
     * transaction is left aborted for the rollback.
     */
    private void commitWith(CommitStatement statement) {
        try (PreparedStatement ps = handle.getConnection().prepareStatement(statement.sql() + "; COMMIT")) {
            statement.binder().bind(ps);
            ps.execute();
        } catch (SQLException e) {
            throw new TransactionException("could not commit the request's change", e);
        }
    }

    /**
     * Whether the COMMIT (or the statement sent with it) failed without an answer from the server,
     * so that it may have committed all the same: the first {@link SQLException} in the chain says,
     * as it does for the committer's batches ({@link StatementCommitter#outcomeUnknown}).
     */
    private static boolean answerLost(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                return StatementCommitter.outcomeUnknown(e);
            }
        }
        return false;
    }

    /** Gives back a connection that broke during its COMMIT; the pool drops it. */
    private void closeBroken() {
        try {
            handle.close();
        } catch (RuntimeException e) {
            LOG.warn("a request's connection did not close cleanly: {}", e.toString());
        }
        handle = null;
    }

    /**
     * After a COMMIT whose answer was lost: the change may be in, so what would undo it does not
     * run (a payload kept without its row is only a leak; a row whose payload
     * was destroyed would be a secret lost).
     */
    private void abandon() {
        LOG.warn("a request's COMMIT got no answer; its change may be committed, so nothing that would undo it runs");
        atCommit = null;
        afterRollback.clear();
    }

    private void commitInBatch() {
        GroupCommit.Member m = member;
        member = null;
        handle = null;
        try {
            m.finish(durables);
        } catch (CompletionException e) {
            // The whole batch was rolled back: for a member whose own event failed, that failure;
            // for the others, a commit failure (their events were written and must be retracted).
            afterRollback.forEach(Runnable::run);
            afterRollback.clear();
            for (Durable d : durables) {
                RuntimeException refused = d.await();
                if (refused != null) {
                    throw refused;
                }
            }
            throw new CommitFailedException(e.getCause() instanceof RuntimeException r ? r : e);
        }
    }

    /**
     * Rolls back and runs what waited for a rollback. A connection that broke meanwhile cannot roll
     * back, but then the database discards the transaction itself: that is logged, not thrown, so
     * the request's own error is what the client sees.
     */
    void rollback() {
        if (member != null) {
            member.abort();
            member = null;
            handle = null;
        } else if (handle != null) {
            try {
                if (handle.isInTransaction()) {
                    handle.rollback();
                }
            } catch (RuntimeException e) {
                LOG.warn("a request's rollback failed; the database discards its open transaction: {}", e.toString());
            } finally {
                try {
                    handle.close();
                } catch (RuntimeException e) {
                    LOG.warn("a request's connection did not close cleanly: {}", e.toString());
                }
                handle = null;
            }
        }
        atCommit = null;
        afterRollback.forEach(Runnable::run);
        afterRollback.clear();
    }
}
