package org.portcullis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.portcullis.testing.Api;
import org.portcullis.testing.SoftHsm;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * Back up under write load, wipe the database, restore, start again: every payload acknowledged
 * before the backup began reads back byte for byte, and one acknowledged later either reads back
 * the same or is absent (never altered). SQLite (online backup API) and PostgreSQL (pg_dump and
 * pg_restore of the real server).
 */
class BackupIT {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void backupUnderWriteLoadWipeRestoreReadsBackEveryAcknowledgedPayload(TestDatabases.Kind kind) throws Exception {
        Path dir = Files.createTempDirectory("backup-it");
        String sql = TestDatabases.fresh(kind, dir);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        Map<String, String> beforeBackup;
        Path backup = dir.resolve("backup");
        try (TestServer node = TestServer.startWith(dir, sql, List.of())) {
            Api api = new Api(node.url(), "backup-p");
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 300 && !stop.get(); i++) {
                        String payload = "p-" + UUID.randomUUID();
                        acknowledged.put(api.createText(payload), payload);
                    }
                }));
            }
            while (acknowledged.size() < 20) {
                Thread.onSpinWait();
            }
            beforeBackup = Map.copyOf(acknowledged);
            SoftHsm.Result r = SoftHsm.manage("backup", "--config", dir.resolve("portcullis.conf").toString(), "--to",
                    backup.toString());
            stop.set(true);
            for (Thread w : writers) {
                w.join();
            }
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("NOT in this backup").contains("master KEK");
            assertThat(Files.readString(backup.resolve("manifest.json"))).contains("\"schema_version\"")
                    .contains("master_key_fingerprints");
        }

        wipe(kind, dir, sql);
        SoftHsm.Result restored = SoftHsm.manage("restore", "--config", dir.resolve("portcullis.conf").toString(),
                "--from", backup.toString());
        assertThat(restored.exit()).as(restored.out() + restored.err()).isZero();

        try (TestServer node = TestServer.startWith(dir, sql, List.of())) {
            Api api = new Api(node.url(), "backup-p");
            for (var e : beforeBackup.entrySet()) {
                Api.Response got = api.get("/v1/secrets/" + e.getKey() + "/payload", "Accept", "text/plain");
                assertThat(got.status()).isEqualTo(200);
                assertThat(got.body()).isEqualTo(e.getValue());
            }
            for (var e : acknowledged.entrySet()) {
                Api.Response got = api.get("/v1/secrets/" + e.getKey() + "/payload", "Accept", "text/plain");
                assertThat(got.status()).isIn(200, 404);
                if (got.status() == 200) {
                    assertThat(got.body()).isEqualTo(e.getValue());
                }
            }
        }
    }

    private static void wipe(TestDatabases.Kind kind, Path dir, String sql) throws Exception {
        if (kind == TestDatabases.Kind.SQLITE) {
            for (String f : List.of("portcullis.sqlite", "portcullis.sqlite-wal", "portcullis.sqlite-shm")) {
                Files.deleteIfExists(dir.resolve(f));
            }
            return;
        }
        String schema = sql.substring(sql.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(sql); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
