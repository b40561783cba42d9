package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.db.Database;

/** The one statement a create reads its project with, on the migrated SQLite schema. */
class CreateReadsTest {
    @TempDir
    Path dir;

    private Database db;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseSettings.sqliteFile(dir.resolve("reads.sqlite"), 2));
        db.write(h -> {
            for (String store : List.of("st1", "st2")) {
                h.execute("INSERT INTO secret_stores (id, name, store_plugin, global_default, created_at, updated_at) "
                        + "VALUES (?, ?, 'store_crypto', FALSE, 0, 0)", store, store);
            }
            h.execute("INSERT INTO project_quotas (project_id, secrets, orders, created_at, updated_at) "
                    + "VALUES ('p', 7, 3, 0, 0)");
            h.execute("INSERT INTO project_quotas (project_id, orders, created_at, updated_at) VALUES ('q', 3, 0, 0)");
            h.execute("INSERT INTO project_secret_store (project_id, secret_store_id, created_at, updated_at) "
                    + "VALUES ('p', 'st2', 0, 0)");
            kek(h, "k-old", "p", "st1", false);
            kek(h, "k1", "p", "st1", true);
            kek(h, "k2", "p", "st2", true);
            kek(h, "k-other", "other", "st1", true);
            return null;
        });
    }

    private static void kek(org.jdbi.v3.core.Handle h, String id, String project, String store, boolean active) {
        h.execute("INSERT INTO project_keks (id, project_id, store_id, master_key_id, wrapped, active, created_at, "
                + "updated_at) VALUES (?, ?, ?, 'm', x'00', ?, 0, 0)", id, project, store, active);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void readsTheProjectsQuotaPreferredStoreAndActiveKeksOnly() {
        CreateReads.Project p = db.readConnection(conn -> CreateReads.read(conn, "p"));
        assertThat(p).isEqualTo(new CreateReads.Project(7, "st2", Map.of("st1", "k1", "st2", "k2")));
    }

    @Test
    void aProjectWithoutRowsOrWithoutItsOwnSecretsQuotaGetsNulls() {
        CreateReads.Project fresh = db.readConnection(conn -> CreateReads.read(conn, "new"));
        assertThat(fresh).isEqualTo(new CreateReads.Project(null, null, Map.of()));
        CreateReads.Project ordersOnly = db.readConnection(conn -> CreateReads.read(conn, "q"));
        assertThat(ordersOnly.ownSecretsQuota()).isNull();
    }

    @Test
    void theSharedReadGivesTheSameRowsInAnAnswerNoCallerCanChange() {
        CreateReads.Project p = CreateReads.shared(db, "p");
        assertThat(p).isEqualTo(new CreateReads.Project(7, "st2", Map.of("st1", "k1", "st2", "k2")));
        assertThatThrownBy(() -> p.activeKeks().put("st3", "k3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void noTableIsScanned() {
        List<String> plan = db.read(h -> h.createQuery("EXPLAIN QUERY PLAN " + CreateReads.SQL).bind("p", "p")
                .map((rs, ctx) -> rs.getString("detail")).list());
        assertThat(plan).isNotEmpty().noneMatch(l -> l.startsWith("SCAN"));
    }
}
