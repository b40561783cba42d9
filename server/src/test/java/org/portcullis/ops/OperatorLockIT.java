package org.portcullis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.Portcullis;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * Two operators on one host at once, as two real processes: a {@code manage kek rotate} (a JVM
 * of its own) is held mid-run, after it took the operator lock, by a PostgreSQL table lock this
 * test holds on {@code project_keks} (its first re-wrap waits on it). Meanwhile a second command
 * in another JVM is refused with exit status 2 and a message naming the lock, and changes
 * nothing; once the test lets go, the first run finishes normally. No clock is involved: the
 * test waits until PostgreSQL shows the first run waiting on the table lock.
 */
class OperatorLockIT {
    private static final String REFUSAL = "another `portcullis manage` command is writing the audit file";

    @Test
    void aSecondCommandIsRefusedWhileAnotherProcessHoldsTheLock() throws Exception {
        Path root = Files.createTempDirectory("operator-lock");
        String sql = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, root);
        Path oldKek = TestServer.kek(root.resolve("kek-old"));
        Path newKek = TestServer.kek(root.resolve("kek-new"));
        seedProjectKeks(config(root, "seed.conf", sql, oldKek, null), 3);
        Path conf = config(root, "rotate.conf", sql, newKek, oldKek);

        try (Connection hold = DriverManager.getConnection(sql); Statement s = hold.createStatement()) {
            hold.setAutoCommit(false);
            s.execute("LOCK TABLE project_keks IN EXCLUSIVE MODE"); // reads pass, the re-wrap's UPDATE waits
            Child first = Child.start(root, "first", "kek", "rotate", "--config", conf.toString());
            awaitWaiter(s, first);

            Child second = Child.start(root, "second", "kek", "rotate", "--config", conf.toString());
            assertThat(second.exit()).as(second.output()).isEqualTo(2);
            assertThat(second.output()).contains(REFUSAL).doesNotContain("re-wrapped");
            Child purge = Child.start(root, "purge", "purge", "--config", conf.toString(), "--deleted-older-than", "1d");
            assertThat(purge.exit()).as(purge.output()).isEqualTo(2);
            assertThat(purge.output()).contains(REFUSAL);
            assertThat(first.process().isAlive()).as(first.output()).isTrue();

            hold.rollback(); // let the first run go
            assertThat(first.exit()).as(first.output()).isZero();
            assertThat(first.output()).contains("3 project KEK(s) re-wrapped");
        }
        // the lock went with the first run: the same command now runs (nothing left to do)
        Child again = Child.start(root, "again", "kek", "rotate", "--config", conf.toString());
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).contains("0 project KEK(s) re-wrapped");
    }

    /** Waits, on PostgreSQL's lock table rather than a clock, until the child's re-wrap waits on our lock. */
    private static void awaitWaiter(Statement s, Child child) throws Exception {
        while (true) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted "
                    + "AND relation = 'project_keks'::regclass")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            assertThat(child.process().isAlive()).as("the first run ended before it wrote: " + child.output()).isTrue();
            Thread.sleep(20);
        }
    }

    /** Project KEKs under the old master key, made the way a node makes them (first secret of a project). */
    private static void seedProjectKeks(Path conf, int projects) {
        PortcullisConfig c = ConfigLoader.load(conf);
        try (Database db = Database.open(c.database());
                StoreRegistry stores = StoreRegistry.start(c.stores(), db, Clock.systemUTC())) {
            SecretStore store = stores.globalDefault();
            for (int p = 0; p < projects; p++) {
                store.store(new SecretBinding("secret-" + p, "project-" + p, store.info().id()), new byte[] {1});
            }
        }
    }

    private static Path config(Path root, String name, String sql, Path kek, Path previous) throws Exception {
        Path conf = root.resolve(name);
        Files.writeString(conf, """
                [DEFAULT]
                sql_connection = %s

                [portcullis]
                data_dir = %s

                [audit]
                enabled = True
                sink = file
                file = %s

                [simple_crypto_plugin]
                kek_file = %s
                %s
                """.formatted(sql, root, root.resolve("audit.log"), kek,
                previous == null ? "" : "previous_kek_files = " + previous));
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        return conf;
    }

    /** {@code portcullis manage ARGS} in a JVM of its own, from this run's classpath; output in a file. */
    private record Child(Process process, Path log) {
        static Child start(Path root, String name, String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    Portcullis.class.getName(), "manage"));
            cmd.addAll(List.of(args));
            Path log = root.resolve("child-" + name + ".log");
            return new Child(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
        }

        int exit() throws Exception {
            return process.waitFor();
        }

        String output() throws Exception {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
    }
}
