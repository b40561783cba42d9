package org.portcullis.adoption;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.portcullis.config.UrlCredentials;

/**
 * Barbican's database, opened read-only: the import never writes to it. The SQLAlchemy URL of
 * {@code sql_connection} becomes a JDBC URL (SQLite, MySQL/MariaDB over TCP or a unix socket,
 * PostgreSQL); the whole import reads from one read-only transaction, so it sees one snapshot.
 */
public final class BarbicanDatabase {
    /**
     * Alembic revisions whose tables this import reads: Barbican 15's head (secret consumers with
     * their unique constraint) and the one before it (same columns, no constraint).
     */
    public static final Set<String> SUPPORTED_REVISIONS = Set.of("8c74e2d7f1ff", "0f8c192a061f");

    /** Where and how to connect. {@code password} never appears in {@link #toString()}. */
    public record Target(String kind, String jdbcUrl, String user, String password) {
        @Override
        public String toString() {
            return kind + " " + jdbcUrl + (user == null ? "" : " as " + user);
        }
    }

    /** The database cannot be used: unreachable, wrong URL, or a schema this import does not know. */
    public static final class SourceException extends RuntimeException {
        public SourceException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private BarbicanDatabase() {}

    /** The JDBC form of an SQLAlchemy URL as Barbican's configuration has it. */
    public static Target target(String sqlAlchemyUrl) {
        String url = sqlAlchemyUrl.strip();
        int colon = url.indexOf("://");
        if (colon < 0) {
            throw new SourceException("not a database URL: " + redact(url), null);
        }
        String scheme = url.substring(0, colon);
        String dialect = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
        if (dialect.equals("sqlite")) {
            String path = url.substring(colon + 3);
            int query = path.indexOf('?');
            path = query < 0 ? path : path.substring(0, query);
            if (path.isEmpty() || path.equals("/")) {
                throw new SourceException("Barbican uses an in-memory SQLite database; there is nothing to import", null);
            }
            // sqlite:////abs/path is absolute, sqlite:///rel/path is relative to Barbican's directory.
            return new Target("sqlite", "jdbc:sqlite:" + path.substring(1), null, null);
        }
        URI uri = URI.create(url.replace(scheme + "://", "db://"));
        UrlCredentials credentials = UrlCredentials.of(uri);
        String user = credentials.user();
        String password = credentials.password();
        Map<String, String> query = query(uri.getRawQuery());
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        String db = uri.getPath() == null ? "" : uri.getPath();
        return switch (dialect) {
            case "mysql", "mariadb" -> {
                StringBuilder jdbc = new StringBuilder("jdbc:mariadb://").append(host)
                        .append(uri.getPort() > 0 ? ":" + uri.getPort() : "").append(db);
                String socket = query.get("unix_socket");
                if (socket != null) {
                    jdbc.append("?localSocket=").append(socket);
                }
                yield new Target("mysql", jdbc.toString(), user, password);
            }
            case "postgresql", "postgres" -> new Target("postgresql", "jdbc:postgresql://" + host
                    + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + db, user, password);
            default -> throw new SourceException("unsupported Barbican database dialect '" + dialect
                    + "' (supported: sqlite, mysql, postgresql)", null);
        };
    }

    /** A read-only connection in a read-only, repeatable-read transaction. */
    public static Connection open(Target t) {
        try {
            Properties props = new Properties();
            if (t.user() != null) {
                props.setProperty("user", t.user());
            }
            if (t.password() != null) {
                props.setProperty("password", t.password());
            }
            if (t.kind().equals("sqlite")) {
                props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY: no file is created either
            }
            Connection c = DriverManager.getConnection(t.jdbcUrl(), props);
            c.setReadOnly(true);
            if (!t.kind().equals("sqlite")) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (t.kind().equals("mysql")) {
                    s.execute("SET SESSION TRANSACTION READ ONLY");
                } else if (t.kind().equals("postgresql")) {
                    s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
                }
            }
            return c;
        } catch (SQLException e) {
            throw new SourceException("cannot open Barbican's database (" + t + "): " + e.getMessage(), e);
        }
    }

    /** Refuses a schema revision this import was not written for, naming what it found. */
    public static String checkRevision(Connection c) {
        List<String> found = new ArrayList<>();
        try (Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT version_num FROM alembic_version")) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new SourceException("Barbican's database has no readable alembic_version table ("
                    + e.getMessage() + "); is this a Barbican database, created by barbican-manage db upgrade?", e);
        }
        if (found.size() != 1 || !SUPPORTED_REVISIONS.contains(found.get(0))) {
            throw new SourceException("Barbican schema revision " + (found.isEmpty() ? "(none)" : String.join(",", found))
                    + " is not supported; supported: " + String.join(", ", SUPPORTED_REVISIONS.stream().sorted().toList())
                    + " (Barbican 15). Upgrade Barbican's schema (barbican-manage db upgrade) to one of them first.", null);
        }
        return found.get(0);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String redact(String url) {
        return url.replaceAll("//([^:/@]*):[^@]*@", "//$1:***@");
    }
}
