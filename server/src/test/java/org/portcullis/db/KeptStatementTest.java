package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cached statement's result reads by name and by position on every run although its column
 * names are read from SQLite only once, and a statement that a schema change gave more columns
 * reads them all.
 */
class KeptStatementTest {
    @TempDir
    Path dir;
    @AutoClose
    private SqlitePools.Table table;

    @BeforeEach
    void open() {
        table = SqlitePools.table(dir.resolve("k.sqlite"), "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
                "INSERT INTO t (id, v) VALUES (1, 'a'), (2, 'b')");
    }

    /** Every row of {@code sql} as "name=value" pairs, through the connection's statement cache. */
    private List<String> rows(String sql) {
        return PlainQuery.onConnection(table.pool(), c -> PlainQuery.query(c, sql, rs -> {
            List<String> out = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    String name = rs.getMetaData().getColumnName(i);
                    row.append(i == 1 ? "" : " ").append(name).append('=').append(rs.getString(name));
                }
                out.add(row.toString());
            }
            return out;
        }));
    }

    @Test
    void aCachedStatementReadsItsColumnsByNameOnEveryRun() {
        String sql = "SELECT id AS ident, v AS value FROM t ORDER BY id";
        for (int run = 0; run < 3; run++) {
            assertThat(rows(sql)).containsExactly("ident=1 value=a", "ident=2 value=b");
        }
    }

    @Test
    void aColumnAddedUnderACachedStatementIsRead() {
        String sql = "SELECT * FROM t ORDER BY id";
        assertThat(rows(sql)).containsExactly("id=1 v=a", "id=2 v=b");
        table.jdbi().useHandle(h -> h.execute("ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'x'"));
        assertThat(rows(sql)).containsExactly("id=1 v=a w=x", "id=2 v=b w=x");
    }

    @Test
    void theStatementCacheKeepsSuchStatements() throws Exception {
        try (Connection c = table.pool().getConnection()) {
            SqliteConnection sqlite = CachingStatementBuilder.sqlite(c);
            PreparedStatement first = CachingStatementBuilder.lend(sqlite, c, "SELECT v FROM t WHERE id = ?");
            assertThat(first).isInstanceOf(KeptStatement.class);
            first.setInt(1, 2);
            try (ResultSet rs = first.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("v")).isEqualTo("b");
            }
            CachingStatementBuilder.giveBack(sqlite, first);
            PreparedStatement again = CachingStatementBuilder.lend(sqlite, c, "SELECT v FROM t WHERE id = ?");
            assertThat(again).isSameAs(first);
            again.setInt(1, 1);
            try (ResultSet rs = again.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("v")).isEqualTo("a");
            }
            CachingStatementBuilder.giveBack(sqlite, again);
        }
    }
}
