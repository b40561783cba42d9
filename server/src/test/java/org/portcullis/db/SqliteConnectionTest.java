package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;

/** The driver settings every SQLite connection of the pools gets. */
class SqliteConnectionTest {
    @TempDir
    Path dir;

    @Test
    void noConnectionQueriesGeneratedKeysAfterAnInsert() throws Exception {
        try (Database db = Database.open(DatabaseSettings.sqliteFile(dir.resolve("c.sqlite"), 2))) {
            boolean writer = db.write(h -> h.getConnection().unwrap(org.sqlite.SQLiteConnection.class)
                    .getConnectionConfig().isGetGeneratedKeys());
            boolean reader = db.read(h -> h.getConnection().unwrap(org.sqlite.SQLiteConnection.class)
                    .getConnectionConfig().isGetGeneratedKeys());
            assertThat(writer).isFalse();
            assertThat(reader).isFalse();
        }
    }
}
