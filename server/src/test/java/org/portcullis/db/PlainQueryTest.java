package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PlainQuery on SQLite through a Hikari pool as {@link Database} builds it: parameters in order,
 * the statement kept in its connection's cache between calls (not prepared again, not closed),
 * and a failing statement reported as Jdbi reports one, the driver's exception as its cause; the
 * connection asked what it is only before the statement, and given back to the pool.
 */
class PlainQueryTest {
    // Prepares, then fails in executeQuery (integer overflow): the failure inside the statement's use.
    private static final String FAILS_WHEN_RUN = "SELECT abs(-9223372036854775808) FROM t";
    private static final String BY_V = "SELECT id FROM t WHERE v = ? OR v = ? ORDER BY id";
    @TempDir
    Path dir;
    @AutoClose
    private SqlitePools.Table table;

    @BeforeEach
    void open() {
        table = SqlitePools.table(dir.resolve("t.sqlite"), "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    }

    private List<Integer> ids(String first, String second) {
        return PlainQuery.onConnection(table.pool(), c -> PlainQuery.query(c, BY_V, rs -> {
            List<Integer> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
            return out;
        }, first, second));
    }

    @Test
    void bindsInOrderAndKeepsTheStatementForTheNextCall() throws SQLException {
        StatementCache cache = table.jdbi().withHandle(h -> h.getConnection().unwrap(SqliteConnection.class).statements());
        int before = cache.size(); // the set-up's own statements
        assertThat(ids("c", "a")).containsExactly(1, 3);
        assertThat(cache.size()).isEqualTo(before + 1);
        assertThat(ids("b", "x")).containsExactly(2);
        assertThat(ids("x", "y")).isEmpty();
        assertThat(cache.size()).isEqualTo(before + 1);
    }

    @Test
    void aFailingStatementIsReportedAsJdbiReportsOne() {
        assertThatThrownBy(() -> PlainQuery.onConnection(table.pool(), c -> PlainQuery.query(c, "SELECT nothing FROM nowhere", rs -> null)))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasCauseInstanceOf(SQLException.class);
        assertThat(ids("a", "a")).containsExactly(1); // the connection still serves
    }

    /**
     * Round 9's outage regression: asking the connection what it is after the query failed let a
     * broken connection's exception replace the driver's (a 500 instead of a 503). PlainQuery asks
     * once, before the statement, also when it fails; the pool's connection is given back.
     */
    @Test
    void theConnectionIsAskedWhatItIsOnceBeforeTheStatementAndNotAfterItFails() throws SQLException {
        AtomicInteger asked = new AtomicInteger();
        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> PlainQuery.onConnection(table.pool(), c -> PlainQuery.query(asking(c, asked, ran),
                FAILS_WHEN_RUN, rs -> null)))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasCauseInstanceOf(SQLException.class);
        assertThat(ran).isTrue();
        assertThat(asked).hasValue(1);
        assertThat(table.pool().getHikariPoolMXBean().getActiveConnections()).isZero();
    }

    @Test
    void aChangeReturnsHowManyRowsItChangedAndFailsAsAQueryDoes() {
        String retag = "UPDATE t SET v = ? WHERE v = ?";
        PlainQuery.Binder bToZ = st -> {
            st.setString(1, "z");
            st.setString(2, "b");
        };
        int first = PlainQuery.onConnection(table.pool(), c -> PlainQuery.change(c, retag, bToZ));
        int again = PlainQuery.onConnection(table.pool(), c -> PlainQuery.change(c, retag, bToZ));
        assertThat(first).isEqualTo(1);
        assertThat(again).isZero();
        assertThat(ids("z", "z")).containsExactly(2);
        assertThatThrownBy(() -> PlainQuery.onConnection(table.pool(), c -> PlainQuery.change(c, "UPDATE nowhere SET v = 1",
                st -> {})))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasCauseInstanceOf(SQLException.class);
    }

    @Test
    void noConnectionWithinThePoolsWaitIsJdbisConnectionException() {
        table.pool().close();
        assertThatThrownBy(() -> PlainQuery.onConnection(table.pool(), c -> "never"))
                .isInstanceOf(ConnectionException.class)
                .hasCauseInstanceOf(SQLException.class);
    }

    /** {@code conn}, counting isWrapperFor; once a statement has been prepared, asking it fails. */
    private static Connection asking(Connection conn, AtomicInteger asked, AtomicBoolean ran) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("isWrapperFor")) {
                        asked.incrementAndGet();
                        if (!ran.compareAndSet(false, true)) { // the statement comes after the first
                            throw new SQLException("connection is broken");
                        }
                    }
                    try {
                        return method.invoke(conn, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
