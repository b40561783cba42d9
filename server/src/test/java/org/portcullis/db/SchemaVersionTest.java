package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;

/** The schema version the doctor reports, read without Flyway. */
class SchemaVersionTest {
    @TempDir
    Path dir;

    @Test
    void aMigratedDatabaseIsCurrentAndAnEmptyOneHasEverythingPending() {
        try (Database db = Database.open(DatabaseSettings.sqliteFile(dir.resolve("migrated.sqlite"), 2))) {
            SchemaVersion v = SchemaVersion.of(db);
            assertThat(v.current()).isNotNull().isEqualTo(v.latest());
            assertThat(v.pending()).isZero();
        }
        try (Database empty = Database.connect(DatabaseSettings.sqliteFile(dir.resolve("empty.sqlite"), 2))) {
            SchemaVersion v = SchemaVersion.of(empty);
            assertThat(v.current()).isNull();
            assertThat(v.pending()).isEqualTo(SchemaVersion.known().size()).isPositive();
        }
    }
}
