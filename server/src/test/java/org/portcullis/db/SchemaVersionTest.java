package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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
            assertThat(v.pending()).isEqualTo(SchemaVersion.known(DatabaseSettings.Kind.SQLITE).size()).isPositive();
        }
    }

    /** A migration only one kind of database runs counts for that kind, and only for it. */
    @Test
    void eachKindKnowsTheSharedMigrationsAndItsOwn() {
        assertThat(SchemaVersion.known(DatabaseSettings.Kind.SQLITE)).contains("1", "24", "25", "26").doesNotHaveDuplicates();
        assertThat(SchemaVersion.known(DatabaseSettings.Kind.POSTGRESQL)).contains("1", "24", "25", "26")
                .doesNotHaveDuplicates();
    }

    /** The index the build writes lists what the directories hold: a node that reads it misses no migration. */
    @Test
    void theBuildsIndexListsEveryMigration() {
        for (DatabaseSettings.Kind kind : DatabaseSettings.Kind.values()) {
            List<String> dirs = List.of(SchemaVersion.SHARED + "/", SchemaVersion.ownDirectory(kind) + "/");
            assertThat(SchemaVersion.indexed(dirs)).as(kind.name()).isNotEmpty()
                    .containsExactlyInAnyOrderElementsOf(SchemaVersion.scanned(kind, dirs));
        }
    }

    /** What lets a node skip Flyway at start: only a complete history with no failed migration. */
    @Test
    void upToDateOnlyWhenEveryMigrationSucceeded() {
        DatabaseSettings settings = DatabaseSettings.sqliteFile(dir.resolve("history.sqlite"), 2);
        assertThat(SchemaVersion.upToDate(settings)).as("no history table").isFalse();
        try (Database db = Database.open(settings)) {
            assertThat(SchemaVersion.upToDate(settings)).isTrue();
            String latest = SchemaVersion.of(db).latest();
            db.write(h -> h.execute("UPDATE flyway_schema_history SET success = FALSE WHERE version = ?", latest));
            assertThat(SchemaVersion.upToDate(settings)).as("the last migration failed").isFalse();
            db.write(h -> h.execute("DELETE FROM flyway_schema_history WHERE version = ?", latest));
            assertThat(SchemaVersion.upToDate(settings)).as("the last migration is missing").isFalse();
        }
    }
}
