package org.portcullis.db;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.portcullis.metrics.Metrics;

/**
 * The read side of {@link Database}, and the transaction timers both sides share; its own class so
 * that each side stays readable (callers still read through {@link Database}).
 *
 * <p>Contract: a read runs on a reader connection, outside any write, unless the calling thread is
 * inside a request whose transaction is open (it has changed something): then it runs on that
 * transaction, so that the request reads its own writes. Every read outside a request's transaction
 * is measured as a {@code read} transaction ({@code commit} when it returned, {@code rollback} when it
 * threw), the wait for its turn ({@link ReadLimit}, PostgreSQL) included. Failures are Jdbi's
 * exceptions, whichever of the three ways the work runs.
 */
abstract class DatabaseReads {
    // Set by Database.inRequest for the duration of one request's handler, on that request's thread.
    final ThreadLocal<RequestTransaction> request = new ThreadLocal<>();

    private final Jdbi reader;
    private final DataSource readPool;
    final ReadLimit limit;
    private final SharedReads shared; // null: every read runs on its own (SQLite)
    private volatile MeterRegistry meters = Metrics.NONE;
    // The transaction timers by outcome and kind: looking a meter up by name and tags on every
    // transaction costs more than the transaction on SQLite (and a key built per transaction, a string).
    private final ConcurrentHashMap<String, Timer> commits = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> rollbacks = new ConcurrentHashMap<>();

    DatabaseReads(Jdbi reader, DataSource readPool, ReadLimit limit, boolean shareReads) {
        this.reader = reader;
        this.readPool = readPool;
        this.limit = limit;
        this.shared = shareReads ? new SharedReads() : null;
    }

    /**
     * Runs {@code work} on a reader connection, in one read transaction (one snapshot); inside a
     * request that changed something, on its transaction, so that the request reads its own writes.
     */
    public <T, X extends Exception> T read(HandleCallback<T, X> work) throws X {
        RequestTransaction tx = request.get();
        return tx != null && tx.open() ? work.withHandle(tx.handle())
                : timedRead(() -> reader.inTransaction(work::withHandle));
    }

    /**
     * {@link #read} for {@code work} that runs one SQL statement, which is a snapshot of its own:
     * it needs no transaction around it. On PostgreSQL: one round trip instead of two; on SQLite
     * (WAL) its implicit read transaction ends when it is reset, and a read transaction's BEGIN,
     * COMMIT and autocommit toggles were most of what a GET's one indexed SELECT cost. Work of more
     * than one statement must use {@link #read}, or each statement would see a snapshot of its own.
     */
    public <T, X extends Exception> T readStatement(HandleCallback<T, X> work) throws X {
        RequestTransaction tx = request.get(); // the pool's connections are in autocommit
        return tx != null && tx.open() ? read(work) : timedRead(() -> reader.withHandle(work));
    }

    /**
     * {@link #readStatement} for {@link PlainQuery} work, on the pooled JDBC connection itself: a Jdbi handle's own
     * set-up (its configuration copy, cleanables) was ~4% of a payload read's CPU. Failures are Jdbi's, as from one.
     */
    public <T> T readConnection(Function<Connection, T> work) {
        RequestTransaction tx = request.get();
        return tx != null && tx.open() ? work.apply(tx.handle().getConnection())
                : timedRead(() -> PlainQuery.onConnection(readPool, work));
    }

    /**
     * {@link #readConnection} that concurrent callers with an equal {@code key} share on PostgreSQL
     * ({@link SharedReads}): each gets an answer read after it asked, and one round trip serves
     * many. The answer must be immutable. On SQLite, where a read is a call into this process, and
     * inside a request's open transaction (its own writes), a read of the caller's own.
     */
    public <T> T readShared(Object key, Function<Connection, T> work) {
        RequestTransaction tx = request.get();
        return shared == null || (tx != null && tx.open()) ? readConnection(work)
                : shared.read(key, () -> timedRead(() -> PlainQuery.onConnection(readPool, work)));
    }

    /** Registers the transaction timers in {@code registry} from now on. */
    void measureTransactions(MeterRegistry registry) {
        meters = registry;
        commits.clear();
        rollbacks.clear();
    }

    interface Timed<T, X extends Exception> { T run() throws X; } // what record() measures

    <T, X extends Exception> T timed(String kind, Timed<T, X> work) throws X {
        long start = System.nanoTime();
        boolean committed = false;
        try {
            T result = work.run();
            committed = true;
            return result;
        } finally {
            record(kind, committed, start);
        }
    }

    /**
     * {@link #timed} for a read outside any transaction, after its turn ({@link ReadLimit}, which
     * on SQLite only says that it needs none): the one lambda a read builds is its work's.
     */
    private <T, X extends Exception> T timedRead(Timed<T, X> read) throws X {
        long start = System.nanoTime();
        boolean admitted = false;
        boolean committed = false;
        try {
            admitted = limit.enter();
            T result = read.run();
            committed = true;
            return result;
        } finally {
            if (admitted) {
                limit.exit();
            }
            record("read", committed, start);
        }
    }

    void record(String kind, boolean committed, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        (committed ? commits : rollbacks).computeIfAbsent(kind, k -> Timer.builder("portcullis.db.transactions")
                .description("Database transactions, from pool checkout to end")
                .tags("kind", kind, "outcome", committed ? "commit" : "rollback")
                .serviceLevelObjectives(Metrics.LATENCY_BUCKETS).register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
