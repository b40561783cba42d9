package org.portcullis.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * A read statement with {@code :name} parameters, for SQL assembled per request (a list's filters
 * and sort), run as a plain JDBC statement like {@link PlainQuery}: Jdbi's per-statement work (a
 * configuration copy, parsing the names, finding an argument factory and a mapper per value,
 * result-set wrappers and cleanables) was a list's largest Java cost after SQLite's own. SQLite
 * takes {@code :name} parameters itself, so there the text goes to the driver as it is, its
 * statement from the connection's {@link StatementCache}, and each value is bound by the number
 * SQLite gives its name; elsewhere (PostgreSQL takes no named parameters) each {@code :name} is
 * sent as a {@code ?} and its value bound at each of them.
 */
public final class NamedQuery {
    /**
     * The parameters of each SQL text run so far: parsing them on every call was this class's
     * largest cost in a list. Bounded like the statement cache: a text beyond it is parsed each time.
     */
    private static final Map<String, Parameters> PARSED = new ConcurrentHashMap<>();
    private static final int MAX_PARSED = StatementCache.MAX_IDLE;

    private NamedQuery() {}

    /** {@link #query(Connection, String, Map, PlainQuery.Rows)} on the handle's connection. */
    public static <T> T query(Handle h, String sql, Map<String, Object> params, PlainQuery.Rows<T> rows) {
        return query(h.getConnection(), sql, params, rows);
    }

    /**
     * Runs {@code sql} with {@code params} (String, Integer or Long, by name; every name the SQL
     * uses) and hands the result to {@code rows}. Failures are Jdbi's exceptions with the driver's
     * as cause, as from a Jdbi handle.
     */
    public static <T> T query(Connection conn, String sql, Map<String, Object> params, PlainQuery.Rows<T> rows) {
        try {
            Parameters p = parameters(sql);
            SqliteConnection sqlite = CachingStatementBuilder.sqlite(conn);
            List<String> order = sqlite == null ? p.occurrences() : p.names();
            return PlainQuery.run(conn, sqlite, sqlite == null ? p.positional() : sql, statement -> {
                for (int i = 0; i < order.size(); i++) {
                    bind(statement, i + 1, order.get(i), params);
                }
            }, rows);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("Could not run " + sql, e, null);
        }
    }

    /**
     * The parameters of one SQL text: {@code names}, distinct, in the order they first appear (the
     * numbers SQLite gives them: a {@code :name} takes the next number; the same name again, the
     * same one); {@code positional}, the text with a {@code ?} for each, and {@code occurrences},
     * the name of each {@code ?} in order.
     */
    record Parameters(List<String> names, String positional, List<String> occurrences) {}

    private static Parameters parameters(String sql) {
        Parameters p = PARSED.get(sql);
        if (p == null) {
            p = parse(sql);
            if (PARSED.size() < MAX_PARSED) {
                PARSED.put(sql, p);
            }
        }
        return p;
    }

    /** Quoted text is skipped; a {@code ::} (a PostgreSQL cast) is not a parameter. */
    static Parameters parse(String sql) {
        List<String> names = new ArrayList<>(6);
        List<String> occurrences = new ArrayList<>(8);
        StringBuilder positional = new StringBuilder(sql.length());
        for (int i = 0, n = sql.length(); i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int close = sql.indexOf(c, i + 1);
                int end = close < 0 ? n - 1 : close;
                positional.append(sql, i, end + 1);
                i = end;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                positional.append("::");
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
                occurrences.add(name);
                positional.append('?');
                i = end - 1;
            } else {
                positional.append(c);
            }
        }
        return new Parameters(List.copyOf(names), positional.toString(), List.copyOf(occurrences));
    }

    private static boolean isNameChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static void bind(PreparedStatement statement, int index, String name, Map<String, Object> params)
            throws SQLException {
        Object value = params.get(name);
        if (value == null && !params.containsKey(name)) {
            throw new IllegalArgumentException("no value for :" + name);
        }
        switch (value) {
            case null -> statement.setNull(index, java.sql.Types.NULL);
            case String s -> statement.setString(index, s);
            case Integer v -> statement.setInt(index, v);
            case Long v -> statement.setLong(index, v);
            case Object o -> throw new IllegalArgumentException("cannot bind :" + name + " = " + o.getClass());
        }
    }
}
