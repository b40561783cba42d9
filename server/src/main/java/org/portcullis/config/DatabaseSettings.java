package org.portcullis.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where the SQL database is, read from Barbican's SQLAlchemy-style {@code sql_connection}
 * ({@code sqlite:////abs/path}, {@code postgresql://user:pw@host:port/db}, {@code
 * postgresql+psycopg2://…}) or a plain JDBC URL.
 */
public record DatabaseSettings(Kind kind, String jdbcUrl, String user, String password, int poolSize,
        int waitSeconds, int minPoolSize, int readLimit) {
    public enum Kind { SQLITE, POSTGRESQL }

    /** {@link #minPoolSize} when {@code [database] min_pool_size} is not set: the kind's default ({@link #minIdle}). */
    public static final int DEFAULT_MIN = -1;

    /** {@link #readLimit} when {@code [database] read_limit} is not set: from the cores ({@link #readLimit(int)}). */
    public static final int DEFAULT_READ_LIMIT = -1;

    /** How long a request waits for a database connection before its 503 ({@code [portcullis] db_wait_seconds}). */
    public static final int DEFAULT_WAIT_SECONDS = 5;

    public DatabaseSettings(Kind kind, String jdbcUrl, String user, String password, int poolSize) {
        this(kind, jdbcUrl, user, password, poolSize, DEFAULT_WAIT_SECONDS, DEFAULT_MIN, DEFAULT_READ_LIMIT);
    }

    public DatabaseSettings withWaitSeconds(int seconds) {
        return new DatabaseSettings(kind, jdbcUrl, user, password, poolSize, seconds, minPoolSize, readLimit);
    }

    public DatabaseSettings withMinPoolSize(int min) {
        return new DatabaseSettings(kind, jdbcUrl, user, password, poolSize, waitSeconds, min, readLimit);
    }

    public DatabaseSettings withReadLimit(int limit) {
        return new DatabaseSettings(kind, jdbcUrl, user, password, poolSize, waitSeconds, minPoolSize, limit);
    }

    /**
     * How many reads run at once on PostgreSQL ({@code [database] read_limit}; 0: as many as the
     * pool has connections), the others waiting in arrival order. Default: two per core, at most
     * the pool: a backend busy on a core answers sooner than 16 sharing 2, and two per core keep
     * a core busy while the other waits on its socket. SQLite's reads are not limited (its reader
     * pool is at most 8 and its reads run in the server's process, not in backends).
     */
    public int readLimit(int cores) {
        int limit = readLimit >= 0 ? readLimit : 2 * cores;
        return limit == 0 ? 0 : Math.min(limit, poolSize);
    }

    /**
     * How many connections a pool of {@code size} keeps open even when idle ({@code [database]
     * min_pool_size}, at most {@code size}). Default on PostgreSQL: the whole pool, opened at start.
     * Grown on demand, the pool opens one connection at a time (a server process forked, a SCRAM
     * login) while requests queue behind it: on the bench's first burst of 16 writers, connection
     * waits summed to 28 s (max 2 s). On SQLite, where opening is a file open, 2.
     */
    public int minIdle(int size) {
        if (minPoolSize >= 0) {
            return Math.min(minPoolSize, size);
        }
        return kind == Kind.POSTGRESQL ? size : Math.min(size, 2);
    }

    private static final String IN_MEMORY = "an in-memory SQLite database would lose every secret at restart; "
            + "give a file: sqlite:////absolute/path.sqlite";

    public static DatabaseSettings sqliteFile(Path file, int poolSize) {
        return new DatabaseSettings(Kind.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath(), null, null, poolSize);
    }

    /** Parses a connection string; the message of a failure says what was expected. */
    public static DatabaseSettings parse(String connection, int poolSize, Path relativeTo) {
        String c = connection.strip();
        if (c.startsWith("jdbc:sqlite:")) {
            String rest = c.substring("jdbc:sqlite:".length());
            if (rest.isBlank() || rest.contains(":memory:") || rest.contains("mode=memory")) {
                throw new IllegalArgumentException(IN_MEMORY);
            }
            return new DatabaseSettings(Kind.SQLITE, c, null, null, poolSize);
        }
        if (c.startsWith("jdbc:postgresql:")) {
            return new DatabaseSettings(Kind.POSTGRESQL, c, null, null, poolSize);
        }
        int scheme = c.indexOf("://");
        if (scheme < 0) {
            throw new IllegalArgumentException("expected sqlite:///PATH, postgresql://USER:PASSWORD@HOST:PORT/DB "
                    + "or a jdbc: URL");
        }
        String dialect = c.substring(0, scheme);
        int plus = dialect.indexOf('+');
        String base = plus < 0 ? dialect : dialect.substring(0, plus);
        switch (base) {
            case "sqlite" -> {
                // sqlite:///relative.db, sqlite:////absolute.db; sqlite:// alone is in-memory
                String rest = c.substring(scheme + 3);
                if (rest.isEmpty() || !rest.startsWith("/")) {
                    throw new IllegalArgumentException(IN_MEMORY);
                }
                String pathText = rest.substring(1);
                int q = pathText.indexOf('?');
                if (q >= 0) {
                    pathText = pathText.substring(0, q);
                }
                if (pathText.isBlank() || pathText.equals(":memory:")) {
                    throw new IllegalArgumentException(IN_MEMORY);
                }
                Path path = Path.of(pathText);
                if (!path.isAbsolute()) {
                    path = relativeTo.resolve(path);
                }
                return sqliteFile(path, poolSize);
            }
            case "postgresql", "postgres" -> {
                URI uri = URI.create("postgresql" + c.substring(scheme));
                UrlCredentials credentials = UrlCredentials.of(uri);
                String host = uri.getHost() == null ? "localhost" : uri.getHost();
                int port = uri.getPort() < 0 ? 5432 : uri.getPort();
                String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "barbican" : uri.getPath().substring(1);
                // Connection options such as sslmode=verify-full must reach the driver.
                String url = "jdbc:postgresql://" + host + ":" + port + "/" + db
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                return new DatabaseSettings(Kind.POSTGRESQL, url, credentials.user(), credentials.password(),
                        poolSize);
            }
            default -> throw new IllegalArgumentException("unsupported database '" + dialect
                    + "'; Portcullis runs on sqlite and postgresql");
        }
    }

    /** The URL without credentials, safe to log. */
    public String redacted() {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
    }
}
