package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PlainQuery on SQLite through a Hikari pool as {@link Database} builds it: parameters in order,
 * the statement kept in its connection's cache between calls (not prepared again, not closed),
 * and a failing statement reported as Jdbi reports one, the driver's exception as its cause.
 */
class PlainQueryTest {
    private static final String BY_V = "SELECT id FROM t WHERE v = ? OR v = ? ORDER BY id";
    @TempDir
    Path dir;
    private HikariDataSource pool;
    private Jdbi jdbi;

    @BeforeEach
    void open() {
        HikariConfig hc = new HikariConfig();
        hc.setMaximumPoolSize(1);
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        hc.setDataSource(SqliteConnection.dataSource("jdbc:sqlite:" + dir.resolve("t.sqlite"), p));
        pool = new HikariDataSource(hc);
        CachingStatementBuilder builder = new CachingStatementBuilder();
        jdbi = Jdbi.create(pool).setStatementBuilderFactory(c -> builder);
        jdbi.useHandle(h -> h.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"));
        jdbi.useHandle(h -> h.execute("INSERT INTO t (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')"));
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private List<Integer> ids(String first, String second) {
        return jdbi.withHandle(h -> PlainQuery.query(h, BY_V, rs -> {
            List<Integer> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
            return out;
        }, first, second));
    }

    @Test
    void bindsInOrderAndKeepsTheStatementForTheNextCall() throws SQLException {
        StatementCache cache = jdbi.withHandle(h -> h.getConnection().unwrap(SqliteConnection.class).statements());
        int before = cache.size(); // the set-up's own statements
        assertThat(ids("c", "a")).containsExactly(1, 3);
        assertThat(cache.size()).isEqualTo(before + 1);
        assertThat(ids("b", "x")).containsExactly(2);
        assertThat(ids("x", "y")).isEmpty();
        assertThat(cache.size()).isEqualTo(before + 1);
    }

    @Test
    void aFailingStatementIsReportedAsJdbiReportsOne() {
        assertThatThrownBy(() -> jdbi.withHandle(h -> PlainQuery.query(h, "SELECT nothing FROM nowhere", rs -> null)))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasCauseInstanceOf(SQLException.class);
        assertThat(ids("a", "a")).containsExactly(1); // the connection still serves
    }
}
