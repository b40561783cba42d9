package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.db.Database;
import org.portcullis.stores.StoredRef;
import org.portcullis.testing.TestDatabases;

/**
 * The list's first page (one statement on PostgreSQL) is planned once per session, not on every
 * execution: once the driver has prepared it on the server, PostgreSQL runs it on its generic plan
 * (pg_prepared_statements counts the plans each prepared statement of the session was run with).
 * A LIMIT bound as a parameter kept it on custom plans, a fresh plan per list.
 */
class SecretListPlanPostgresIT {
    private static final long NOW = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private Database db;

    @BeforeEach
    void fill() throws Exception {
        db = Database.open(DatabaseSettings.parse(TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir), 2, dir));
        db.write(h -> h.execute("INSERT INTO secret_stores (id, name, store_plugin, global_default, created_at, "
                + "updated_at) VALUES ('st', 'default', 'store_crypto', TRUE, 0, 0)"));
        List<Secret> rows = new ArrayList<>();
        // enough rows, and their statistics, for the planner to tell a LIMIT 10 from an unknown one
        for (int i = 0; i < 3000; i++) {
            rows.add(new Secret(UUID.randomUUID().toString(), i % 3 == 0 ? "q" : "p", "u", "n" + i, SecretType.OPAQUE,
                    null, 256, null, i % 5 == 0 ? Long.valueOf(NOW + 1000) : null, "ACTIVE", "st",
                    "application/octet-stream", new StoredRef(new byte[] {1}), NOW - 100 + i, NOW - 100 + i));
        }
        db.write(h -> {
            new SecretRepository().insertAll(h, rows);
            return null;
        });
        db.write(h -> h.execute("ANALYZE secrets"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theFirstPageRunsOnAGenericPlanOnceServerPrepared() {
        SecretFilter f = new SecretFilter(null, null, null, null, null, List.of(), List.of(), false, 10, 0);
        long[] plans = db.read(h -> {
            // the driver prepares a statement on the server at its 5th execution (prepareThreshold);
            // PostgreSQL weighs its generic plan after five custom ones
            for (int i = 0; i < 15; i++) {
                assertThat(SecretListQuery.of("p", null, f, NOW).firstPage(h.getConnection()).total()).isEqualTo(2000);
            }
            return h.createQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                            + "WHERE statement LIKE '%AS total FROM secrets WHERE project_id%'")
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
        });
        assertThat(plans[0]).as("executions on the generic plan (custom: %d)", plans[1]).isPositive();
    }
}
