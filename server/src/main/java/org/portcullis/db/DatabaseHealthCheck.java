package org.portcullis.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.portcullis.health.HealthCheck;

/**
 * The database as a health check: one {@code SELECT 1} on a reader connection, answered within a
 * short timeout. A probe stuck behind a dead server is not repeated on every call: while it waits,
 * the check fails at once, so a load balancer polling a dead node starts no pile of threads.
 */
public final class DatabaseHealthCheck implements HealthCheck {
    private final Database db;
    private final Duration timeout;
    private final AtomicReference<CompletableFuture<Void>> inFlight = new AtomicReference<>();

    public DatabaseHealthCheck(Database db, Duration timeout) {
        this.db = db;
        this.timeout = timeout;
    }

    @Override
    public String kind() {
        return "database";
    }

    @Override
    public String name() {
        return db.kind().name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The probe, as plain JDBC ({@link PlainQuery}): a node's first health check answers that it is
     * ready, and as Jdbi's first statement it set up Jdbi's flight-recorder event first (a tenth of
     * a second).
     */
    private static Integer probe(Connection conn, int seconds) {
        try {
            return PlainQuery.run(conn, CachingStatementBuilder.sqlite(conn), "SELECT 1",
                    statement -> statement.setQueryTimeout(seconds), rs -> rs.next() ? rs.getInt(1) : null);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("Could not run SELECT 1", e, null);
        }
    }

    @Override
    public Verdict check() {
        long start = System.nanoTime();
        CompletableFuture<Void> probe = new CompletableFuture<>();
        CompletableFuture<Void> previous = inFlight.compareAndExchange(null, probe);
        if (previous != null) {
            return Verdict.failing("the database is unreachable: the previous probe has not come back", false, 0);
        }
        Thread.ofVirtual().start(() -> {
            try {
                int seconds = (int) Math.max(1, timeout.toSeconds());
                db.readConnection(conn -> probe(conn, seconds));
                probe.complete(null);
            } catch (RuntimeException e) {
                probe.completeExceptionally(e);
            } finally {
                inFlight.set(null);
            }
        });
        try {
            probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long micros = (System.nanoTime() - start) / 1000;
            return Verdict.healthy("SELECT 1 answered", micros);
        } catch (TimeoutException e) {
            return Verdict.failing("the database is unreachable: no answer to SELECT 1 within " + timeout.toMillis()
                    + " ms", false,
                    (System.nanoTime() - start) / 1000);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = DatabaseUnavailable.causedBy(cause) ? "the database is unreachable: "
                    : "the database failed: " + cause.getClass().getSimpleName() + ": ";
            return Verdict.failing(why + cause.getMessage(), false, (System.nanoTime() - start) / 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.failing("interrupted", false, 0);
        }
    }
}
