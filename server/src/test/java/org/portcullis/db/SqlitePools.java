package org.portcullis.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Properties;
import org.jdbi.v3.core.Jdbi;

/** A SQLite database in WAL mode behind a Hikari pool, and a Jdbi over it, as {@link Database} builds them. */
final class SqlitePools {
    private SqlitePools() {}

    /** A pool of {@code size} connections to {@code file}. */
    static HikariDataSource pool(Path file, int size) {
        HikariConfig hc = new HikariConfig();
        hc.setMaximumPoolSize(size);
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        hc.setDataSource(SqliteConnection.dataSource("jdbc:sqlite:" + file, p));
        return new HikariDataSource(hc);
    }

    /** Jdbi over {@code pool}, its statements from each connection's cache. */
    static Jdbi jdbi(HikariDataSource pool) {
        CachingStatementBuilder builder = new CachingStatementBuilder();
        return Jdbi.create(pool).setStatementBuilderFactory(c -> builder);
    }

    /** A one-connection pool and its Jdbi over {@code file}, with a table made and filled; closing it closes the pool. */
    record Table(HikariDataSource pool, Jdbi jdbi) implements AutoCloseable {
        @Override
        public void close() {
            pool.close();
        }
    }

    /** {@link Table} over {@code file}, after running {@code create} and {@code insert} on it. */
    static Table table(Path file, String create, String insert) {
        HikariDataSource pool = pool(file, 1);
        Jdbi jdbi = jdbi(pool);
        jdbi.useHandle(h -> h.execute(create));
        jdbi.useHandle(h -> h.execute(insert));
        return new Table(pool, jdbi);
    }
}
