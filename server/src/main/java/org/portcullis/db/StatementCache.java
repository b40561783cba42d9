package org.portcullis.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idle prepared statements of one physical SQLite connection, by SQL text. Preparing is what a
 * short SQLite statement costs most (parsing and planning it again on every request), so a
 * statement is handed back here when Jdbi is done with it instead of being finalized.
 *
 * <p>A statement is either idle here or lent to exactly one user: {@link #lend} removes it, so the
 * same SQL run twice at once on one connection (a query nested in the iteration of another) gets
 * a second statement, and {@link #giveBack} keeps one per SQL and closes the extra. The least recently
 * used statement is closed beyond {@link #MAX_IDLE} (SQL built with a variable number of
 * placeholders would otherwise grow the cache without end). Synchronized because the pool may
 * close the connection (eviction, a broken connection) on its own thread.
 */
final class StatementCache {
    private static final Logger LOG = LoggerFactory.getLogger(StatementCache.class);
    static final int MAX_IDLE = 200;

    private final Map<String, PreparedStatement> idle = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX_IDLE) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };
    private final Map<PreparedStatement, String> lent = new IdentityHashMap<>();
    private boolean closed;

    /**
     * A statement for {@code sql}: the idle one, or one prepared by {@code prepare}; lent until
     * {@link #giveBack}.
     */
    synchronized PreparedStatement lend(String sql, Preparer prepare) throws SQLException {
        PreparedStatement statement = closed ? null : idle.remove(sql);
        if (statement == null) {
            statement = prepare.prepare(sql);
        }
        if (!closed) {
            lent.put(statement, sql);
        }
        return statement;
    }

    /** Prepares a statement on the connection. */
    interface Preparer {
        PreparedStatement prepare(String sql) throws SQLException;
    }

    /**
     * Takes back a statement that {@link #lend} handed out, for the next user of its SQL, its
     * parameters cleared; closes it instead when one is kept already, when it carries per-query
     * settings that a later user must not inherit, or when the connection is closed or broken.
     * False (nothing done) for a statement this cache did not lend.
     */
    synchronized boolean giveBack(PreparedStatement statement) {
        // Keyed by the SQL it was prepared from: Jdbi names a statement by its text before
        // parsing (with :named parameters) when it closes it, by the parsed text when it creates it.
        String sql = lent.remove(statement);
        if (sql == null) {
            return false;
        }
        try {
            if (!closed && !statement.isClosed() && statement.getQueryTimeout() == 0 && statement.getMaxRows() == 0
                    && !idle.containsKey(sql)) {
                statement.clearParameters();
                idle.put(sql, statement);
                return true;
            }
        } catch (SQLException e) {
            LOG.debug("not keeping a statement for reuse: {}", e.toString());
        }
        closeQuietly(statement);
        return true;
    }

    /** The SQL of the idle statements (for tests: statements run without Jdbi's SqlLogger). */
    synchronized java.util.List<String> idleSql() {
        return java.util.List.copyOf(idle.keySet());
    }

    /** How many statements are idle (for tests). */
    synchronized int size() {
        return idle.size();
    }

    /** Closes every idle statement; the connection is closing, nothing is kept from now on. */
    synchronized void close() {
        closed = true;
        idle.values().forEach(StatementCache::closeQuietly);
        idle.clear();
        lent.clear(); // closed by their users, or with the connection
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // A statement of a broken connection: SQLite frees it with the connection.
            LOG.debug("a cached statement did not close cleanly: {}", e.toString());
        }
    }
}
