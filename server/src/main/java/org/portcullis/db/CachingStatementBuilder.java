package org.portcullis.db;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Jdbi's statements on SQLite, prepared once per physical connection and reused ({@link
 * StatementCache}). Statements are prepared on the {@link SqliteConnection} beneath the pool's
 * proxy, so the proxy neither tracks nor closes them; anything else (generated keys, updatable
 * result sets, plain statements, a connection of another kind) is Jdbi's default.
 */
final class CachingStatementBuilder implements StatementBuilder {
    private static final StatementBuilder PLAIN = new DefaultStatementBuilder();

    @Override
    public Statement create(Connection conn, StatementContext ctx) throws SQLException {
        return PLAIN.create(conn, ctx);
    }

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
        SqliteConnection physical = sqlite(conn);
        if (physical == null || ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
            return PLAIN.create(conn, sql, ctx);
        }
        return lend(physical, conn, sql);
    }

    @Override
    public CallableStatement createCall(Connection conn, String sql, StatementContext ctx) throws SQLException {
        return PLAIN.createCall(conn, sql, ctx);
    }

    @Override
    public void close(Connection conn, String sql, Statement stmt) throws SQLException {
        if (stmt instanceof PreparedStatement ps) {
            giveBack(sqlite(conn), ps);
        } else {
            PLAIN.close(conn, sql, stmt);
        }
    }

    /**
     * The SQLite connection beneath the pool's proxy, or null for a connection of another kind. A
     * caller asks once, before its statement runs, and passes the answer to {@link #giveBack}.
     */
    static SqliteConnection sqlite(Connection conn) throws SQLException {
        return conn.isWrapperFor(SqliteConnection.class) ? conn.unwrap(SqliteConnection.class) : null;
    }

    /** A statement for {@code sql}: from {@code sqlite}'s cache, or prepared on {@code conn} when that is null. */
    static PreparedStatement lend(SqliteConnection sqlite, Connection conn, String sql) throws SQLException {
        return sqlite == null ? conn.prepareStatement(sql) : sqlite.statements().lend(sql, sqlite::prepareKept);
    }

    /**
     * Ends the use of a statement: back into {@code sqlite}'s cache if it came from there, closed
     * otherwise. It never asks the connection anything: after a failure that could throw over it.
     */
    static void giveBack(SqliteConnection sqlite, PreparedStatement statement) throws SQLException {
        if (sqlite == null || !sqlite.statements().giveBack(statement)) {
            statement.close();
        }
    }
}
