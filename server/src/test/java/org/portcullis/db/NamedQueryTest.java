package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NamedQuery on SQLite through a Hikari pool as {@link Database} builds it: each name bound to
 * its value wherever it appears (whatever order the caller's map has), values of each type, the
 * statement kept in its connection's cache between calls, a failure reported as Jdbi reports one.
 */
class NamedQueryTest {
    // :v twice, :lo before :v's second use, :hi last: SQLite numbers names by first appearance
    private static final String SQL = "SELECT id FROM t WHERE (v = :v OR n >= :lo) AND v <> 'x:y' AND n < :hi "
            + "AND (v = :v OR n = :lo) ORDER BY id LIMIT :limit";
    @TempDir
    Path dir;
    @AutoClose
    private SqlitePools.Table table;

    @BeforeEach
    void open() {
        table = SqlitePools.table(dir.resolve("t.sqlite"), "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INTEGER)",
                "INSERT INTO t (id, v, n) VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
    }

    private List<Integer> ids(Map<String, Object> params) {
        return table.jdbi().withHandle(h -> NamedQuery.query(h, SQL, params, rs -> {
            List<Integer> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
            return out;
        }));
    }

    private static Map<String, Object> params(Object limit, Object hi, String v, Object lo) {
        Map<String, Object> p = new LinkedHashMap<>(); // not in the SQL's order
        p.put("limit", limit);
        p.put("hi", hi);
        p.put("v", v);
        p.put("lo", lo);
        return p;
    }

    @Test
    void namesAreNumberedByFirstAppearance() {
        assertThat(NamedQuery.parse(SQL).names()).containsExactly("v", "lo", "hi", "limit");
        NamedQuery.Parameters p = NamedQuery.parse("SELECT CAST(:a AS TEXT)::text, ':b', \":c\", :a_1, :a");
        assertThat(p.names()).containsExactly("a", "a_1");
        assertThat(p.occurrences()).containsExactly("a", "a_1", "a");
        assertThat(p.positional()).isEqualTo("SELECT CAST(? AS TEXT)::text, ':b', \":c\", ?, ?");
    }

    @Test
    void bindsEachNameWhereverItAppearsAndKeepsTheStatement() throws SQLException {
        StatementCache cache = table.jdbi().withHandle(h -> h.getConnection().unwrap(SqliteConnection.class).statements());
        int before = cache.size(); // the set-up's own statements
        assertThat(ids(params(10, 100L, "a", 30))).containsExactly(1, 3);
        assertThat(cache.size()).isEqualTo(before + 1);
        assertThat(ids(params(1, 100L, "a", 30))).containsExactly(1);
        assertThat(ids(params(10, 30L, "b", 30))).containsExactly(2);
        assertThat(ids(params(10, 100L, null, 20))).containsExactly(2);
        assertThat(cache.size()).isEqualTo(before + 1);
    }

    @Test
    void aMissingValueOrAFailingStatementIsAnError() {
        Map<String, Object> missing = params(10, 100L, "a", 30);
        missing.remove("hi");
        assertThatThrownBy(() -> ids(missing)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> table.jdbi().withHandle(h -> NamedQuery.query(h, "SELECT nothing FROM nowhere WHERE a = :a",
                        Map.of("a", 1), rs -> null)))
                .isInstanceOf(UnableToExecuteStatementException.class)
                .hasCauseInstanceOf(SQLException.class);
        assertThat(ids(params(10, 100L, "a", 30))).containsExactly(1, 3); // the connection still serves
    }
}
