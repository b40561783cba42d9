package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.db.Database;
import org.portcullis.stores.StoredRef;
import org.portcullis.testing.TestDatabases;

/**
 * The per-project live count behind a list's total (V24, {@link SecretCounts}) stays equal to a
 * count of the rows through every path that adds or soft-deletes secrets: concurrent creates,
 * import batches over several projects, deletes (twice, of another store's secret), a rolled-back
 * transaction, and plain SQL that knows nothing of the counter (a node of an older release, a
 * restore): the database's triggers keep it; and the migration fills it for rows written before it.
 * Subclasses pick the database.
 */
abstract class SecretCountsIT {
    private static final long NOW = 1_800_000_000_000L;
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    protected abstract TestDatabases.Kind kind();

    private final SecretRepository repo = new SecretRepository();

    @Test
    void countEqualsTheRowsAfterMixedCreatesDeletesAndImports() throws Exception {
        try (Database db = Database.open(settings(TestDatabases.fresh(kind(), dir)))) {
            db.write(h -> h.execute("INSERT INTO secret_stores (id, name, store_plugin, global_default, created_at, "
                    + "updated_at) VALUES ('st', 'default', 'store_crypto', TRUE, 0, 0)"));
            String a = "proj-a-" + UUID.randomUUID(), b = "proj-b-" + UUID.randomUUID();
            List<String> ids = new ArrayList<>();
            // concurrent creates in one project: each its own transaction, on connections of the pool
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<String>> created = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                Long expiration = i % 6 == 0 ? Long.valueOf(NOW - 1) : i % 6 == 1 ? Long.valueOf(NOW + 60_000)
                        : i % 6 == 2 ? Long.valueOf(NOW - 3 * DAY - i) : null; // expired today, later, days ago
                String name = i % 4 == 0 ? "named" : "other-" + i;
                created.add(pool.submit(() -> {
                    Secret s = secret(a, name, expiration);
                    db.write(h -> { repo.insert(h, s); return null; });
                    return s.id();
                }));
            }
            for (Future<String> f : created) {
                ids.add(f.get());
            }
            pool.shutdown();
            // an import batch over two projects
            List<Secret> batch = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                batch.add(secret(i % 3 == 0 ? a : b, "named", i % 5 == 0 ? Long.valueOf(NOW - 10)
                        : i % 5 == 1 ? Long.valueOf(NOW - 40 * DAY) : null));
            }
            db.write(h -> { repo.insertAll(h, batch); return null; });
            batch.forEach(s -> ids.add(s.id()));
            // deletes: each once, some twice, one only if in another store (it is not)
            for (int i = 0; i < ids.size(); i += 3) {
                String id = ids.get(i);
                assertThat(delete(db, id, null)).isTrue();
            }
            assertThat(delete(db, ids.get(0), null)).isFalse();
            assertThat(delete(db, ids.get(1), "elsewhere")).isFalse();
            // a transaction that inserts and deletes, then fails: none of it counts
            assertThatThrownBy(() -> db.write(h -> {
                repo.insert(h, secret(a, "named", null));
                repo.delete(h, ids.get(2), NOW);
                throw new IllegalStateException("rolled back");
            })).hasMessage("rolled back");

            for (String p : List.of(a, b, "proj-none")) {
                assertCountsMatch(db, p);
            }
            assertThat(live(db, a)).isGreaterThan(20);
        }
    }

    @Test
    void migrationCountsTheRowsWrittenBeforeIt() throws Exception {
        String url = TestDatabases.fresh(kind(), dir);
        DatabaseSettings s = settings(url);
        Flyway.configure().dataSource(s.jdbcUrl(), s.user(), s.password()).locations("classpath:db/migration")
                .target("23").load().migrate(); // before secret_counts (V24) and secret_expiry_days (V26)
        try (Database old = Database.connect(s)) {
            old.write(h -> {
                h.execute("INSERT INTO secret_stores (id, name, store_plugin, global_default, created_at, updated_at) "
                        + "VALUES ('st', 'default', 'store_crypto', TRUE, 0, 0)");
                for (int i = 0; i < 25; i++) {
                    h.createUpdate("INSERT INTO secrets (id, project_id, secret_type, status, store_id, created_at, "
                                    + "updated_at, deleted, expiration) VALUES (:id, :p, 'opaque', 'ACTIVE', 'st', :t, :t, "
                                    + ":d, :e)")
                            .bind("id", "s" + i).bind("p", i % 2 == 0 ? "even" : "odd").bind("t", i)
                            .bind("d", i % 5 == 0).bind("e", i % 7 == 0 ? Long.valueOf(NOW - 1)
                                    : i % 7 == 1 ? Long.valueOf(NOW - 2 * DAY) : null).execute();
                }
                return null;
            });
        }
        try (Database db = Database.open(s)) {
            assertThat(live(db, "even")).isEqualTo(10);
            assertThat(live(db, "odd")).isEqualTo(10);
            assertCountsMatch(db, "even");
            assertCountsMatch(db, "odd");
        }
    }

    /** What a node of an older release writes during a rolling upgrade: rows, no counter. */
    @Test
    void writesThatKnowNothingOfTheCounterAreCounted() throws Exception {
        try (Database db = Database.open(settings(TestDatabases.fresh(kind(), dir)))) {
            db.write(h -> {
                h.execute("INSERT INTO secret_stores (id, name, store_plugin, global_default, created_at, updated_at) "
                        + "VALUES ('st', 'default', 'store_crypto', TRUE, 0, 0)");
                for (int i = 0; i < 12; i++) {
                    h.createUpdate("INSERT INTO secrets (id, project_id, secret_type, status, store_id, created_at, "
                                    + "updated_at, deleted) VALUES (:id, 'old-node', 'opaque', 'ACTIVE', 'st', 0, 0, :d)")
                            .bind("id", "o" + i).bind("d", i == 11).execute();
                }
                h.execute("UPDATE secrets SET expiration = ? WHERE id IN ('o5', 'o6', 'o7', 'o8')", NOW - 5 * DAY);
                h.execute("UPDATE secrets SET expiration = ? WHERE id = 'o6'", NOW - 9 * DAY); // another day
                h.execute("UPDATE secrets SET expiration = NULL WHERE id = 'o7'"); // no longer expiring
                h.execute("UPDATE secrets SET deleted = TRUE, expiration = ? WHERE id = 'o8'", NOW - 1); // both at once
                h.execute("UPDATE secrets SET expiration = ? WHERE id = 'o2'", NOW - 7 * DAY); // o2 is undeleted below
                h.execute("UPDATE secrets SET deleted = TRUE WHERE id IN ('o0', 'o1', 'o2')"); // soft deletes
                h.execute("UPDATE secrets SET deleted = TRUE WHERE id = 'o0'"); // again: no change
                h.execute("UPDATE secrets SET deleted = FALSE WHERE id = 'o2'"); // undeleted
                h.execute("UPDATE secrets SET name = 'renamed' WHERE id = 'o3'"); // not a count change
                h.execute("DELETE FROM secrets WHERE id IN ('o1', 'o4', 'o11')"); // purge: deleted and live rows
                return null;
            });
            assertThat(live(db, "old-node")).isEqualTo(7);
            assertCountsMatch(db, "old-node");
        }
    }

    private boolean delete(Database db, String id, String storeId) {
        Boolean gone = db.write(h -> repo.delete(h, id, storeId, NOW));
        return gone;
    }

    private static long live(Database db, String project) {
        Long n = db.read(h -> SecretCounts.live(h, project));
        return n;
    }

    private void assertCountsMatch(Database db, String project) {
        db.read(h -> {
            assertThat(h.createQuery("SELECT day, sum(live) FROM secret_expiry_days WHERE project_id = :p GROUP BY day "
                            + "HAVING sum(live) <> 0 ORDER BY day").bind("p", project)
                    .map((rs, ctx) -> rs.getLong(1) + ":" + rs.getLong(2)).list())
                    .as("expiring rows per day of " + project)
                    .isEqualTo(h.createQuery("SELECT expiration / 86400000, count(*) FROM secrets WHERE project_id = :p "
                                    + "AND expiration IS NOT NULL AND NOT deleted GROUP BY expiration / 86400000 ORDER BY 1")
                            .bind("p", project).map((rs, ctx) -> rs.getLong(1) + ":" + rs.getLong(2)).list());
            assertThat(SecretCounts.live(h, project)).as("live count of " + project).isEqualTo(
                    rows(h, project, ""));
            SecretFilter all = new SecretFilter(null, null, null, null, null, List.of(), List.of(), false, 5, 0);
            assertThat(repo.list(h, project, null, all, NOW).total()).as("list total of " + project)
                    .isEqualTo(rows(h, project, " AND (expiration IS NULL OR expiration > " + NOW + ")"));
            SecretFilter named = new SecretFilter("named", null, null, null, null, List.of(), List.of(), false, 5, 0);
            assertThat(repo.list(h, project, null, named, NOW).total()).as("named total of " + project)
                    .isEqualTo(rows(h, project, " AND name = 'named' AND (expiration IS NULL OR expiration > " + NOW + ")"));
            return null;
        });
    }

    private static int rows(Handle h, String project, String and) {
        return h.createQuery("SELECT count(*) FROM secrets WHERE project_id = :p AND NOT deleted" + and)
                .bind("p", project).mapTo(Integer.class).one();
    }

    private DatabaseSettings settings(String sqlConnection) {
        return DatabaseSettings.parse(sqlConnection, 8, dir);
    }

    private static Secret secret(String project, String name, Long expiration) {
        return new Secret(UUID.randomUUID().toString(), project, "u", name, SecretType.OPAQUE, null, null, null,
                expiration, "ACTIVE", "st", "application/octet-stream", new StoredRef(new byte[] {1}), NOW - 100_000,
                NOW - 100_000);
    }
}

class SecretCountsSqliteIT extends SecretCountsIT {
    @Override
    protected TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}

class SecretCountsPostgresIT extends SecretCountsIT {
    @Override
    protected TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
