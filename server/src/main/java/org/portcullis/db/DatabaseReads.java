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
    private volatile MeterRegistry meters = Metrics.NONE;
    // The transaction timers by kind and outcome: looking a meter up by name and tags on every
    // transaction costs more than the transaction on SQLite.
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    DatabaseReads(Jdbi reader, DataSource readPool, ReadLimit limit) {
        this.reader = reader;
        this.readPool = readPool;
        this.limit = limit;
    }

    /**
     * Runs {@code work} on a reader connection, in one read transaction (one snapshot); inside a
     * request that changed something, on its transaction, so that the request reads its own writes.
     */
    public <T, X extends Exception> T read(HandleCallback<T, X> work) throws X {
        RequestTransaction tx = request.get();
        return tx != null && tx.open() ? work.withHandle(tx.handle())
                : timed("read", () -> limit.run(() -> reader.inTransaction(work::withHandle)));
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
        return tx != null && tx.open() ? read(work) : timed("read", () -> limit.run(() -> reader.withHandle(work)));
    }

    /**
     * {@link #readStatement} for {@link PlainQuery} work, on the pooled JDBC connection itself: a Jdbi handle's own
     * set-up (its configuration copy, cleanables) was ~4% of a payload read's CPU. Failures are Jdbi's, as from one.
     */
    public <T> T readConnection(Function<Connection, T> work) {
        RequestTransaction tx = request.get();
        return tx != null && tx.open() ? work.apply(tx.handle().getConnection())
                : timed("read", () -> limit.run(() -> PlainQuery.onConnection(readPool, work)));
    }

    /** Registers the transaction timers in {@code registry} from now on. */
    void measureTransactions(MeterRegistry registry) {
        meters = registry;
        timers.clear();
    }

    interface Timed<T, X extends Exception> { T run() throws X; } // what record() measures

    <T, X extends Exception> T timed(String kind, Timed<T, X> work) throws X {
        long start = System.nanoTime();
        String outcome = "rollback";
        try {
            T result = work.run();
            outcome = "commit";
            return result;
        } finally {
            record(kind, outcome, start);
        }
    }

    void record(String kind, String outcome, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        timers.computeIfAbsent(kind + '/' + outcome, k -> Timer.builder("portcullis.db.transactions")
                .description("Database transactions, from pool checkout to end").tags("kind", kind, "outcome", outcome)
                .serviceLevelObjectives(Metrics.LATENCY_BUCKETS).register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
