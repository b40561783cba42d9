package org.portcullis.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.transaction.TransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's group commit, for requests whose one change is a {@link CommitStatement} (a POST's
 * INSERT) and that hold no transaction of their own: one platform thread sends the statements of
 * all requests waiting as one JDBC batch in one transaction, and one COMMIT. On its own, each
 * request's statement and COMMIT cost a round trip of a virtual thread parked on the socket and
 * woken by the JDK's poller, and PostgreSQL a transaction start, commit and WAL flush each.
 *
 * <p>Each request stays all or nothing. Its statement is only handed over once its audit event is
 * durable ({@link #commitAfter}), and it returns once the batch's COMMIT has. If the
 * batch fails on a row (a constraint or data error) nothing of it was committed, and each
 * statement is committed again on its own, so only the one that fails fails. Any other failure
 * (the connection, the server) fails the whole batch: it may have committed or not, exactly as one
 * request's COMMIT whose answer was lost, and running it again could write a row twice. No
 * savepoints: a batch costs no subtransaction.
 */
final class StatementCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatementCommitter.class);
    /** Beyond this a batch's own time outweighs the wait of the requests behind it. */
    static final int MAX_BATCH = 128;
    private static final long IDLE_CHECK_MILLIS = 200; // how soon an idle committer sees close()

    /** A request's statement and what it waits on. */
    record Waiting(CommitStatement statement, CompletableFuture<Void> done) {}

    // A durable the statement waited for was refused: it was never handed over (no stack: a signal).
    private static final RuntimeException REFUSED = new RuntimeException("refused", null, false, false) {};

    private final DataSource pool;
    private final LinkedBlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    StatementCommitter(DataSource pool) {
        this.pool = pool;
        this.thread = Thread.ofPlatform().name("pg-committer").daemon(true).start(this::loop);
    }

    /**
     * Commits {@code statement}, with those of the other requests waiting then, once each of {@code
     * mustBeDurable} is durable; true when that is done and durable, false, with nothing sent, when
     * one of them was refused. The caller does not wait for them itself: the one that becomes
     * durable last hands the statement over, on the thread that made it durable (the audit
     * writer's), so a request parks once, for its commit, and is woken once.
     *
     * @throws CommitFailedException when it was not committed (or, the connection lost, may not have been)
     */
    boolean commitAfter(List<Durable> mustBeDurable, CommitStatement statement) {
        Waiting w = new Waiting(statement, new CompletableFuture<>());
        if (mustBeDurable.isEmpty()) {
            enqueue(w);
        } else {
            AtomicInteger left = new AtomicInteger(mustBeDurable.size());
            for (Durable d : mustBeDurable) {
                d.whenSettled(refused -> {
                    if (refused != null) {
                        w.done().completeExceptionally(REFUSED);
                    } else if (left.decrementAndGet() == 0) {
                        enqueue(w);
                    }
                });
            }
        }
        try {
            w.done().join();
            return true;
        } catch (CompletionException e) {
            if (e.getCause() == REFUSED) {
                return false;
            }
            throw new CommitFailedException(e.getCause() instanceof RuntimeException r ? r
                    : new TransactionException("could not commit the request's change", e.getCause()),
                    e.getCause() instanceof OutcomeUnknown);
        }
    }

    private void enqueue(Waiting w) {
        queue.add(w);
        if (closed) {
            failAll(new IllegalStateException("the database is closed"));
        }
    }

    private void loop() {
        List<Waiting> batch = new ArrayList<>();
        while (!closed) {
            Waiting first;
            try {
                // Not interrupted to stop: an interrupt would fail the batch under way at its
                // connection checkout.
                first = queue.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (first == null) {
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            commitAll(batch);
            batch.clear();
        }
        failAll(new IllegalStateException("the database is closed"));
    }

    /** Commits {@code batch} (the committer's thread; tests) and completes each member's wait. */
    void commitAll(List<Waiting> batch) {
        try {
            inOneTransaction(batch);
            batch.forEach(w -> w.done().complete(null));
            return;
        } catch (SQLException e) {
            if (batch.size() == 1 || !onARow(e)) {
                batch.forEach(w -> w.done().completeExceptionally(e));
                return;
            }
            LOG.debug("a batch of {} changes failed on a row ({}); committing each on its own", batch.size(), e.toString());
        } catch (RuntimeException e) {
            // Thrown before the COMMIT was sent (a statement's binding): nothing is in, and it may
            // be one request's own, so each is committed on its own.
            if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(e);
                return;
            }
            LOG.debug("a batch of {} changes failed ({}); committing each on its own", batch.size(), e.toString());
        } catch (Error e) {
            batch.forEach(w -> w.done().completeExceptionally(e));
            return;
        }
        for (Waiting w : batch) {
            try {
                inOneTransaction(List.of(w));
                w.done().complete(null);
            } catch (Exception | Error e) {
                w.done().completeExceptionally(e);
            }
        }
    }

    /** A COMMIT sent whose answer never came (the connection broke): the batch may be in or not. */
    private static final class OutcomeUnknown extends SQLException {
        OutcomeUnknown(SQLException cause) {
            super("the COMMIT's answer was lost: " + cause.getMessage(), cause);
        }
    }

    /**
     * Whether a COMMIT that threw {@code e} may have committed: when the server answered with an
     * error it did not; when the connection broke (SQLSTATE class 08) or the driver gave no state,
     * nobody knows.
     */
    static boolean outcomeUnknown(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08");
    }

    /** SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation): a row's own failure. */
    static boolean onARow(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /** The statements in arrival order, each distinct SQL text as one batch, then COMMIT. */
    private void inOneTransaction(List<Waiting> batch) throws SQLException {
        Map<String, List<Waiting>> bySql = new LinkedHashMap<>();
        for (Waiting w : batch) {
            bySql.computeIfAbsent(w.statement().sql(), sql -> new ArrayList<>()).add(w);
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Map.Entry<String, List<Waiting>> e : bySql.entrySet()) {
                    try (PreparedStatement ps = c.prepareStatement(e.getKey())) {
                        for (Waiting w : e.getValue()) {
                            w.statement().binder().bind(ps);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                commit(c);
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }

    private static void commit(Connection c) throws SQLException {
        try {
            c.commit();
        } catch (SQLException e) {
            throw outcomeUnknown(e) ? new OutcomeUnknown(e) : e;
        }
    }

    private void failAll(RuntimeException e) {
        for (Waiting w; (w = queue.poll()) != null; ) {
            w.done().completeExceptionally(e);
        }
    }

    /** Commits what is under way, then fails what still comes. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new IllegalStateException("the database is closed"));
    }
}
