package org.portcullis.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * One read statement on a Jdbi handle's connection without Jdbi's statement machinery: for the
 * reads every request makes (a payload read's secret and its ACL), where Jdbi's per-statement
 * work (its configuration copy, named-parameter parsing and binding by name, the result-set
 * wrappers and cleanables) cost more than SQLite's own. On SQLite the statement comes from the
 * connection's {@link StatementCache}, as Jdbi's do; elsewhere it is prepared and closed (the
 * PostgreSQL driver keeps its own server-side statements by SQL text). Failures are Jdbi's
 * {@link UnableToExecuteStatementException} with the driver's exception as cause, as from Jdbi.
 */
public final class PlainQuery {
    /** Reads the result; called once, the cursor before the first row. */
    @FunctionalInterface
    public interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private PlainQuery() {}

    /** Runs {@code sql} with {@code params} bound as strings to its {@code ?}s, in order. */
    public static <T> T query(Handle h, String sql, Rows<T> rows, String... params) {
        try {
            Connection conn = h.getConnection();
            SqliteConnection physical = conn.isWrapperFor(SqliteConnection.class)
                    ? conn.unwrap(SqliteConnection.class) : null;
            PreparedStatement statement = physical == null ? conn.prepareStatement(sql)
                    : physical.statements().lend(sql, physical::prepareStatement);
            try {
                for (int i = 0; i < params.length; i++) {
                    statement.setString(i + 1, params[i]);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    return rows.read(rs);
                }
            } finally {
                if (physical == null || !physical.statements().giveBack(statement)) {
                    statement.close();
                }
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("Could not run " + sql, e, null);
        }
    }
}
