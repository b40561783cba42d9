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
        SqliteConnection physical = physical(conn);
        if (physical == null || ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable()) {
            return PLAIN.create(conn, sql, ctx);
        }
        return physical.statements().lend(sql, physical::prepareStatement);
    }

    @Override
    public CallableStatement createCall(Connection conn, String sql, StatementContext ctx) throws SQLException {
        return PLAIN.createCall(conn, sql, ctx);
    }

    @Override
    public void close(Connection conn, String sql, Statement stmt) throws SQLException {
        SqliteConnection physical = physical(conn);
        if (physical == null || !(stmt instanceof PreparedStatement ps) || !physical.statements().giveBack(ps)) {
            PLAIN.close(conn, sql, stmt);
        }
    }

    private static SqliteConnection physical(Connection conn) throws SQLException {
        return conn.isWrapperFor(SqliteConnection.class) ? conn.unwrap(SqliteConnection.class) : null;
    }
}
