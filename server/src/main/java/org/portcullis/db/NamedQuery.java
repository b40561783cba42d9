package org.portcullis.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * A read statement with {@code :name} parameters, for SQL assembled per request (a list's filters
 * and sort). On SQLite it runs without Jdbi's statement machinery, like {@link PlainQuery}: SQLite
 * takes {@code :name} parameters itself, so the text goes to the driver as it is, its statement
 * from the connection's {@link StatementCache}, and each value is bound by the number SQLite gives
 * its name. Jdbi's per-statement work (a configuration copy, parsing the names, finding an argument
 * factory and a mapper per value, result-set wrappers and cleanables) was a list's largest Java cost
 * after SQLite's own. Elsewhere (PostgreSQL takes no named parameters) it is Jdbi's query as before.
 */
public final class NamedQuery {
    private NamedQuery() {}

    /**
     * Runs {@code sql} with {@code params} (String, Integer or Long, by name; every name the SQL
     * uses) and hands the result to {@code rows}.
     */
    public static <T> T query(Handle h, String sql, Map<String, Object> params, PlainQuery.Rows<T> rows) {
        try {
            Connection conn = h.getConnection();
            SqliteConnection sqlite = CachingStatementBuilder.sqlite(conn);
            if (sqlite == null) {
                Query q = h.createQuery(sql);
                params.forEach(q::bind);
                return q.scanResultSet((supplier, ctx) -> {
                    try {
                        return rows.read(supplier.get());
                    } catch (SQLException e) {
                        throw new UnableToExecuteStatementException("Could not read " + sql, e, ctx);
                    }
                });
            }
            return PlainQuery.run(conn, sqlite, sql, statement -> {
                List<String> names = names(sql);
                for (int i = 0; i < names.size(); i++) {
                    bind(statement, i + 1, names.get(i), params);
                }
            }, rows);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("Could not run " + sql, e, null);
        }
    }

    /**
     * The distinct parameter names of {@code sql} in the order they first appear: the numbers
     * SQLite gives them (a {@code :name} takes the next number; the same name again, the same one).
     * Quoted text is skipped; a {@code ::} (a PostgreSQL cast) is not a parameter.
     */
    static List<String> names(String sql) {
        List<String> names = new ArrayList<>(6);
        for (int i = 0, n = sql.length(); i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int close = sql.indexOf(c, i + 1);
                i = close < 0 ? n : close;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                i++;
            } else if (c == ':' && i + 1 < n && isNameChar(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && isNameChar(sql.charAt(end))) {
                    end++;
                }
                String name = sql.substring(i + 1, end);
                if (!names.contains(name)) {
                    names.add(name);
                }
                i = end - 1;
            }
        }
        return names;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static void bind(PreparedStatement statement, int index, String name, Map<String, Object> params)
            throws SQLException {
        if (!params.containsKey(name)) {
            throw new IllegalArgumentException("no value for :" + name);
        }
        switch (params.get(name)) {
            case null -> statement.setNull(index, java.sql.Types.NULL);
            case String s -> statement.setString(index, s);
            case Integer v -> statement.setInt(index, v);
            case Long v -> statement.setLong(index, v);
            case Object o -> throw new IllegalArgumentException("cannot bind :" + name + " = " + o.getClass());
        }
    }
}
