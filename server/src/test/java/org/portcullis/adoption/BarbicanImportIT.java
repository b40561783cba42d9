package org.portcullis.adoption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.portcullis.Portcullis;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.kmip.KmipStore;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;
import picocli.CommandLine;

/**
 * Against the real Barbican 15 that scripts/barbican.sh starts (PORTCULLIS_TEST_BARBICAN_*): fill
 * it through its API in three projects, import, and compare both servers' answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BarbicanImportIT {
    /** Fresh project ids per run, so a Barbican that served an earlier run does not get in the way. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);
    private static final List<String> PROJECTS = List.of("adopt-a-" + RUN, "adopt-b-" + RUN, "adopt-c-" + RUN);
    private static String barbicanUrl;
    private static Path barbicanConf;
    private static final List<BarbicanFixture.Created> CREATED = new ArrayList<>();

    @BeforeAll
    static void populate() {
        barbicanUrl = require("PORTCULLIS_TEST_BARBICAN_URL");
        barbicanConf = Path.of(require("PORTCULLIS_TEST_BARBICAN_CONF"));
        for (String p : PROJECTS) {
            CREATED.add(BarbicanFixture.populate(barbicanUrl, p, p.startsWith("adopt-c")));
        }
    }

    @Test
    @Order(1)
    void aWrongKekWritesNothing() throws Exception {
        Path dir = Files.createTempDirectory("adopt-wrong-kek");
        String sql = TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir);
        Path conf = writeConfig(dir, sql);
        Path wrong = dir.resolve("barbican.conf");
        Files.writeString(wrong, Files.readString(barbicanConf).replaceAll("(?m)^kek = .*$",
                "kek = " + java.util.Base64.getEncoder().encodeToString(new byte[32])));
        Run r = importRun(conf, wrong);
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("does not decrypt secret");
        try (Connection c = DriverManager.getConnection("jdbc:" + sql.replace("sqlite:///", "sqlite:"))) {
            var rs = c.createStatement().executeQuery("SELECT count(*) FROM secrets");
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    @Order(2)
    void importsIntoSqliteAndConvergesAfterChanges() throws Exception {
        importAndCompare(TestDatabases.Kind.SQLITE, 6);
    }

    @Test
    @Order(3)
    void importsIntoPostgresql() throws Exception {
        importAndCompare(TestDatabases.Kind.POSTGRESQL, 7);
    }

    /** {@code toDelete}: index of the project-a secret deleted in Barbican between the runs. */
    private void importAndCompare(TestDatabases.Kind kind, int toDelete) throws Exception {
        Path dir = Files.createTempDirectory("adopt-" + kind.name().toLowerCase());
        String sql = TestDatabases.fresh(kind, dir);
        Path conf = writeConfig(dir, sql);
        Run dry = importRun(conf, barbicanConf, "--dry-run");
        assertThat(dry.exit()).as(dry.output()).isZero();
        long killedAfter = kind == TestDatabases.Kind.SQLITE ? killedMidRun(dir, conf, sql) : 0;
        Run first = importRun(conf, barbicanConf);
        assertThat(first.exit()).as(first.output()).isZero();
        // The run after the kill carried on: it created exactly what the killed one had not committed.
        assertThat(killedAfter + created(first.output())).as(first.output()).isEqualTo(created(dry.output()));
        Run again = importRun(conf, barbicanConf);
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).doesNotContain("created").doesNotContain("deleted");
        if (kind == TestDatabases.Kind.SQLITE) {
            // An id that exists here with other content stops the run; nothing is overwritten.
            String id = CREATED.get(1).secrets().get(0);
            String jdbc = sql.replace("sqlite:///", "jdbc:sqlite:");
            execute(jdbc, "UPDATE secrets SET name = 'changed here' WHERE id = '" + id + "'");
            Run conflict = importRun(conf, barbicanConf);
            assertThat(conflict.exit()).as(conflict.output()).isEqualTo(2);
            assertThat(conflict.output()).contains("exist in Portcullis with other content", id);
            try (Connection c = DriverManager.getConnection(jdbc);
                    var rs = c.createStatement().executeQuery("SELECT name FROM secrets WHERE id = '" + id + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("changed here");
            }
            execute(jdbc, "UPDATE secrets SET name = 'text' WHERE id = '" + id + "'");
        }

        // Changes in Barbican since: a new secret, a deleted one, changed metadata.
        Api a = BarbicanFixture.api(barbicanUrl, PROJECTS.get(0));
        String added = BarbicanFixture.secret(a, "{\"name\":\"late\",\"payload\":\"late\",\"payload_content_type\":"
                + "\"text/plain\"}");
        String removed = CREATED.get(0).secrets().get(toDelete);
        assertThat(a.delete("/v1/secrets/" + removed).status()).isEqualTo(204);
        assertThat(a.putJson("/v1/secrets/" + CREATED.get(0).secrets().get(0) + "/metadata",
                "{\"metadata\":{\"owner\":\"changed\"}}").status()).isEqualTo(201);
        Run delta = importRun(conf, barbicanConf);
        assertThat(delta.exit()).as(delta.output()).isZero();
        assertThat(delta.output()).contains("created=1").contains("deleted=1");
        // An audit event per change, in the operator commands' trail: the new secret, the deleted one.
        String trail = Files.readString(dir.resolve("audit.log.manage"));
        assertThat(trail).contains("\"id\":\"" + added + "\"").contains("\"id\":\"" + removed + "\"")
                .contains("imported from Barbican").contains("portcullis manage import barbican");

        String text = Files.readString(conf);
        try (TestServer portcullis = TestServer.startWithConfig(dir, text)) {
            for (String p : PROJECTS) {
                BarbicanComparison.compareProject(barbicanUrl, p, portcullis.url());
            }
            // A pre-move href, host changed: same payload.
            Api pa = BarbicanFixture.api(portcullis.url(), PROJECTS.get(0));
            assertThat(pa.get("/v1/secrets/" + added + "/payload", "Accept", "text/plain").body()).isEqualTo("late");
            assertThat(pa.get("/v1/secrets/" + removed).status()).isEqualTo(404);
            // An adopted KMIP reference copied into another secret's row yields nothing.
            KmipStore kmip = (KmipStore) portcullis.app().stores().plugins().stream().filter(st -> st instanceof KmipStore)
                    .findFirst().orElseThrow();
            SecretBinding other = new SecretBinding("not-" + added, PROJECTS.get(0), kmip.info().id());
            assertThatThrownBy(() -> kmip.retrieve(other, KmipStore.adoptedRef(added, "1")))
                    .isInstanceOf(StoreException.class).hasMessageContaining("belongs to another secret");
        }
    }

    /**
     * Runs the import in a JVM of its own, one secret per batch, and kills it with SIGKILL once it
     * has committed a batch (seen in the target database, not guessed from a clock). Returns how
     * many secrets it had committed.
     */
    private static long killedMidRun(Path dir, Path conf, String sql) throws Exception {
        String jdbc = sql.replace("sqlite:///", "jdbc:sqlite:");
        Path log = dir.resolve("killed.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Portcullis.class.getName(),
                "manage", "import", "barbican", "--config", conf.toString(), "--barbican-config", barbicanConf.toString(),
                "--batch", "1", "--threads", "1").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            while (child.isAlive() && secretRows(jdbc) == 0) {
                Thread.sleep(10);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            child.waitFor();
        }
        long committed = secretRows(jdbc);
        assertThat(committed).as(Files.readString(log)).isPositive();
        return committed;
    }

    private static long secretRows(String jdbc) {
        try (Connection c = DriverManager.getConnection(jdbc);
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM secrets")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // the child has not created the schema yet
        }
    }

    /** The secrets a run's report says it created (or, in a dry run, would create), over all projects. */
    private static long created(String output) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^  secret +project \\S+ +\\{[^}]*\\bcreated=(\\d+)")
                .matcher(output);
        long n = 0;
        while (m.find()) {
            n += Long.parseLong(m.group(1));
        }
        return n;
    }

    private static void execute(String jdbc, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc)) {
            c.createStatement().execute(sql);
        }
    }

    record Run(int exit, String output) {}

    static Run importRun(Path conf, Path barbican, String... extra) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream capture = new PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("--config", conf.toString(), "--barbican-config", barbican.toString()));
        args.addAll(List.of(extra));
        int exit;
        try {
            System.setOut(capture);
            System.setErr(capture);
            exit = new CommandLine(new ImportBarbicanCommand()).execute(args.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String output = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        oldOut.println(output);
        return new Run(exit, output);
    }

    /** A node with a software store (global default) and a KMIP store on Barbican's own PyKMIP. */
    static Path writeConfig(Path dir, String sql) throws Exception {
        Path kek = TestServer.kek(dir.resolve("kek"));
        Path kmip = Path.of(require("PORTCULLIS_TEST_BARBICAN_DIR")).resolve("kmip");
        String text = TestServer.multiStoreHead(sql, dir, "software, kmip", "auth_strategy = noauth") + """

                [secretstore:software]
                secret_store_plugin = store_crypto
                crypto_plugin = simple_crypto
                global_default = True
                kek_file = %s

                [secretstore:kmip]
                secret_store_plugin = kmip_plugin

                [kmip_plugin]
                host = 127.0.0.1
                port = 5696
                certfile = %s
                keyfile = %s
                ca_certs = %s
                """.formatted(kek, kmip.resolve("client.crt"), kmip.resolve("client.key"),
                kmip.resolve("ca.crt"));
        Path conf = dir.resolve("portcullis.conf");
        Files.writeString(conf, text);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        return conf;
    }

    static String require(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: start scripts/barbican.sh (./portcullis test does)");
        }
        return v;
    }
}
