package org.portcullis.adoption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.console.Progress;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.testing.TestServer;

/**
 * A batch's audit events are handed on inside its transaction: when they arrive nothing of the
 * batch is visible yet, and an audit trail that cannot be written leaves nothing of that batch.
 */
class SecretImportTest {
    @TempDir
    Path dir;

    @Test
    void eventsComeBeforeTheCommitAndAFailedTrailRollsTheBatchBack() throws Exception {
        List<BarbicanRows.Secret> secrets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // Secrets without payload yet (step one of a two-step secret): the write path without a store.
            secrets.add(new BarbicanRows.Secret(UUID.randomUUID().toString(), "project-1", "user-1", "s" + i, "opaque",
                    null, null, null, null, "ACTIVE", 1_700_000_000_000L, 1_700_000_000_000L, false, null, null, Map.of(),
                    null, Map.of()));
        }
        String jdbc = "jdbc:sqlite:" + dir.resolve("p.sqlite");
        List<Long> visibleAtAudit = new ArrayList<>();
        run(secrets, "p.sqlite", changes -> visibleAtAudit.add(rows(jdbc)));
        assertThat(visibleAtAudit).containsExactly(0L, 2L); // batches of 2: each saw only the batches before it
        assertThat(rows(jdbc)).isEqualTo(3);

        assertThatThrownBy(() -> run(secrets, "q.sqlite", changes -> {
            throw new UncheckedIOException(new java.io.IOException("disk full"));
        })).isInstanceOf(UncheckedIOException.class);
        assertThat(rows("jdbc:sqlite:" + dir.resolve("q.sqlite"))).isZero();
    }

    private void run(List<BarbicanRows.Secret> secrets, String database, Consumer<List<ImportReport.Change>> audit)
            throws Exception {
        Path conf = dir.resolve("portcullis.conf");
        Files.writeString(conf, """
                [DEFAULT]
                sql_connection = sqlite:///%s
                [portcullis]
                data_dir = %s
                auth_strategy = noauth
                [simple_crypto_plugin]
                kek_file = %s
                """.formatted(dir.resolve(database), dir, TestServer.kek(dir.resolve("kek"))));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        Path barbicanConf = dir.resolve("barbican.conf");
        Files.writeString(barbicanConf, "[DEFAULT]\nsql_connection = sqlite:////nonexistent/barbican.sqlite\n");
        PortcullisConfig c = ConfigLoader.load(conf);
        try (Database db = Database.open(c.database());
                StoreRegistry stores = StoreRegistry.start(c.stores(), db, Clock.systemUTC())) {
            StoreRouting routing = new StoreRouting(stores, BarbicanConfig.read(barbicanConf), List.of(), Map.of());
            ImportReport report = new ImportReport(audit);
            Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()), false);
            new SecretImport(db, routing, new SimpleCryptoKeys(null, Map.of()), report, progress, false, 2, 2)
                    .run(secrets, List.of());
        }
    }

    private static long rows(String jdbc) {
        try (Connection c = DriverManager.getConnection(jdbc);
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM secrets")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
