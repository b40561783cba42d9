package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TextColumn reads every text value of SQLite exactly as the driver's getString does. */
class TextColumnTest {
    @TempDir
    Path dir;

    @Test
    void readsWhatGetStringReads() throws SQLException {
        List<String> values = Arrays.asList(null, "", " ", "plain", "it's \"quoted\"", "tab\tnew\nline\u0000nul",
                "caf\u00e9 \u65e5\u672c", "\uD83D\uDD11 key", "x".repeat(5000));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.sqlite"))) {
            c.createStatement().execute("CREATE TABLE t (i INTEGER PRIMARY KEY, v TEXT, n)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO t (i, v, n) VALUES (?, ?, 42)")) {
                for (int i = 0; i < values.size(); i++) {
                    insert.setInt(1, i);
                    insert.setString(2, values.get(i));
                    insert.execute();
                }
            }
            List<String> got = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT v, n FROM t ORDER BY i")) {
                while (rs.next()) {
                    got.add(TextColumn.get(rs, 1));
                    assertThat(rs.wasNull()).isEqualTo(rs.getString(1) == null);
                    assertThat(TextColumn.get(rs, 2)).isEqualTo(rs.getString(2)).isEqualTo("42"); // a number as text
                }
            }
            assertThat(got).isEqualTo(values);
        }
    }
}
