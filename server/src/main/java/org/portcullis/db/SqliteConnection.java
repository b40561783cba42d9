package org.portcullis.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.sqlite.jdbc4.JDBC4Connection;

/**
 * A physical SQLite connection that owns the {@link StatementCache} of its prepared statements: the
 * cache lives exactly as long as the connection and is closed with it (eviction by the pool, a
 * broken connection, shutdown). It sits below Hikari's proxy on purpose: the proxy closes every
 * statement prepared through it when the connection goes back to the pool.
 */
final class SqliteConnection extends JDBC4Connection {
    private static final String PREFIX = "jdbc:sqlite:";
    private final StatementCache statements = new StatementCache();

    SqliteConnection(String url, Properties properties) throws SQLException {
        super(url, url.substring(PREFIX.length()), properties);
    }

    StatementCache statements() {
        return statements;
    }

    /** A statement for the {@link StatementCache}: one that reads its column names once ({@link KeptStatement}). */
    PreparedStatement prepareKept(String sql) throws SQLException {
        checkOpen();
        return new KeptStatement(this, sql);
    }

    @Override
    public void close() throws SQLException {
        statements.close();
        super.close();
    }

    /** The data source of a pool of such connections to {@code url}, opened with the driver {@code properties}. */
    static DataSource dataSource(String url, Properties properties) {
        if (!url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a SQLite JDBC URL: " + url);
        }
        return new Source(url, properties);
    }

    private record Source(String url, Properties properties) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            Properties p = new Properties();
            p.putAll(properties);
            // Else the driver runs "SELECT last_insert_rowid()", prepared anew, after every INSERT
            // (on the writer, holding the write lock); nothing here reads generated keys.
            p.setProperty("jdbc.get_generated_keys", "false");
            return new SqliteConnection(url, p);
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection(); // SQLite has no users
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // nothing is logged through JDBC's writer
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // opening a file does not wait for anyone
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
