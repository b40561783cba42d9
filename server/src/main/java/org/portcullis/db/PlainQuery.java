package org.portcullis.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.CloseException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * One statement on a pooled JDBC connection without Jdbi's handle and statement machinery:
 * for the statements every request makes (a payload read's secret and its ACL, a new row), where Jdbi's
 * per-handle and per-statement work (its configuration copies, named-parameter parsing and
 * binding by name, the result-set wrappers and cleanables) cost more than SQLite's own. On
 * SQLite the statement comes from the connection's {@link StatementCache}, as Jdbi's do
 * ({@link CachingStatementBuilder}); elsewhere it is prepared and closed (the PostgreSQL driver
 * keeps its own server-side statements by SQL text). Failures are Jdbi's exceptions with the
 * driver's as cause, as from a Jdbi handle, so that an unreachable database is still told apart
 * ({@link DatabaseUnavailable}: a 503).
 */
public final class PlainQuery {
    /** Reads the result; called once, the cursor before the first row. */
    @FunctionalInterface
    public interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private PlainQuery() {}

    /** Sets a statement's parameters: a query's, a change's or a {@link CommitStatement}'s. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Runs {@code sql} with {@code params} bound as strings to its {@code ?}s, in order. */
    public static <T> T query(Connection conn, String sql, Rows<T> rows, String... params) {
        try {
            // Decided once, before the query: asked again after a failure, a broken connection
            // would throw its own exception over the driver's (a PostgreSQL outage became a 500).
            return run(conn, CachingStatementBuilder.sqlite(conn), sql, statement -> {
                for (int i = 0; i < params.length; i++) {
                    statement.setString(i + 1, params[i]);
                }
            }, rows);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("Could not run " + sql, e, null);
        }
    }

    /**
     * Runs {@code sql} on {@code conn} ({@code sqlite} is the SQLite connection beneath it, or
     * null), its statement lent from the statement cache and given back, whatever happens.
     */
    static <T> T run(Connection conn, SqliteConnection sqlite, String sql, Binder binder, Rows<T> rows)
            throws SQLException {
        PreparedStatement statement = CachingStatementBuilder.lend(sqlite, conn, sql);
        try {
            binder.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                return rows.read(rs);
            }
        } finally {
            CachingStatementBuilder.giveBack(sqlite, statement);
        }
    }

    /**
     * Runs the change {@code sql} once per binder in {@code rows} (one statement, or one batch for
     * several), its statement lent from the statement cache as {@link #query}'s; failures as
     * {@link #query}'s.
     */
    public static void update(Connection conn, String sql, List<Binder> rows) {
        try {
            SqliteConnection sqlite = CachingStatementBuilder.sqlite(conn);
            PreparedStatement statement = CachingStatementBuilder.lend(sqlite, conn, sql);
            try {
                if (rows.size() == 1) {
                    rows.get(0).bind(statement);
                    statement.executeUpdate();
                    return;
                }
                try {
                    for (Binder row : rows) {
                        row.bind(statement);
                        statement.addBatch();
                    }
                    statement.executeBatch();
                } catch (SQLException | RuntimeException e) {
                    try {
                        statement.clearBatch(); // a cached statement goes back empty, not with rows half added
                    } catch (SQLException clear) {
                        e.addSuppressed(clear);
                    }
                    throw e;
                }
            } finally {
                CachingStatementBuilder.giveBack(sqlite, statement);
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("Could not run " + sql, e, null);
        }
    }

    /**
     * Runs the change {@code sql} once and returns how many rows it changed, its statement lent as
     * {@link #query}'s: for changes whose count decides what follows (a conditional UPDATE); failures
     * as {@link #query}'s.
     */
    public static int change(Connection conn, String sql, Binder binder) {
        try {
            SqliteConnection sqlite = CachingStatementBuilder.sqlite(conn);
            PreparedStatement statement = CachingStatementBuilder.lend(sqlite, conn, sql);
            try {
                binder.bind(statement);
                return statement.executeUpdate();
            } finally {
                CachingStatementBuilder.giveBack(sqlite, statement);
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("Could not run " + sql, e, null);
        }
    }

    /**
     * Runs {@code work} on a connection of {@code pool} and gives it back: what Jdbi's {@code
     * withHandle} does, without building a handle. No connection within the pool's wait is Jdbi's
     * {@link ConnectionException}, as from {@code withHandle}.
     */
    static <T> T onConnection(DataSource pool, Function<Connection, T> work) {
        Connection conn;
        try {
            conn = pool.getConnection();
        } catch (SQLException e) {
            throw new ConnectionException(e);
        }
        Throwable failed = null;
        try {
            return work.apply(conn);
        } catch (RuntimeException | Error e) {
            failed = e;
            throw e;
        } finally {
            try {
                conn.close();
            } catch (SQLException e) {
                // The work's own failure is the one to report; a close failure only rides along.
                if (failed == null) {
                    throw new CloseException("Unable to close Connection", e);
                }
                failed.addSuppressed(e);
            }
        }
    }
}
