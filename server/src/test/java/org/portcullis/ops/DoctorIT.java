package org.portcullis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portcullis.Portcullis;
import org.portcullis.http.Json;
import org.portcullis.testing.Api;
import org.portcullis.testing.KmipTestStore;
import org.portcullis.testing.TcpProxy;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;
import picocli.CommandLine;

/** {@code manage doctor} against real nodes: healthy, a KEK file others can read, a wrong KEK, a dead store. */
class DoctorIT {
    /** Runs {@code portcullis manage doctor ARGS}: exit code and everything it printed. */
    private static Map.Entry<Integer, String> doctor(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            List<String> argv = new ArrayList<>(List.of("manage", "doctor"));
            argv.addAll(List.of(args));
            int code = new CommandLine(new Portcullis()).execute(argv.toArray(String[]::new));
            return Map.entry(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
        }
    }

    /** A node with secrets in three projects, its configuration saying noauth on purpose. */
    private static TestServer node(Path dir) throws Exception {
        TestServer server = TestServer.startWith(dir, TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir), List.of());
        for (String project : List.of("doc-a", "doc-b", "doc-c")) {
            Api api = new Api(server.url(), project);
            for (int i = 0; i < 3; i++) {
                api.createText(project + "-" + i);
            }
        }
        Path conf = dir.resolve("portcullis.conf");
        Files.writeString(conf, Files.readString(conf).replace("[portcullis]\n", "[portcullis]\nauth_strategy = noauth\n"));
        return server;
    }

    @Test
    void aHealthyNodePassesEveryCheckAndExits0() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-doctor");
        try (TestServer server = node(dir)) {
            String conf = dir.resolve("portcullis.conf").toString();
            var text = doctor("--config", conf);
            assertThat(text.getKey()).as(text.getValue()).isZero();
            assertThat(text.getValue()).contains("PASS  database").contains("PASS  schema")
                    .contains("PASS  store software existing secrets: decrypted a random sample")
                    .contains("PASS  audit chain").contains("Existing secrets: not at risk").doesNotContain("\u001b[");
            var json = doctor("--config", conf, "--format", "json");
            assertThat(json.getKey()).isZero();
            JsonNode report = Json.MAPPER.readTree(json.getValue());
            assertThat(report.get("exit").asInt()).isZero();
            assertThat(report.get("secrets_at_risk").asBoolean()).isFalse();
            List<String> checks = new ArrayList<>();
            report.get("checks").forEach(c -> checks.add(c.get("check").asText()));
            assertThat(checks).contains("config", "database", "schema", "clock", "store software KEK",
                    "store software round trip", "audit trail", "audit chain", "keystone", "tls");
        }
    }

    @Test
    void aKekFileOthersCanReadFailsNamingTheChmod() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-doctor");
        try (TestServer server = node(dir)) {
            Path kek = dir.resolve("kek-1");
            Files.setPosixFilePermissions(kek, PosixFilePermissions.fromString("rw-r--r--"));
            var r = doctor("--config", dir.resolve("portcullis.conf").toString());
            assertThat(r.getKey()).as(r.getValue()).isEqualTo(2);
            assertThat(r.getValue()).contains("FAIL  permissions store software master KEK").contains("chmod 400 " + kek);
        }
    }

    @Test
    void aWrongKekFailsSayingExistingSecretsAreUnreadable() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-doctor");
        try (TestServer server = node(dir)) {
            Path kek = dir.resolve("kek-1");
            Files.delete(kek);
            TestServer.kek(kek); // another random key, owner-only
            var r = doctor("--config", dir.resolve("portcullis.conf").toString());
            assertThat(r.getKey()).as(r.getValue()).isEqualTo(2);
            assertThat(r.getValue()).contains("FAIL  store software KEK: existing secrets unreadable with this KEK")
                    .contains("Existing secrets: AT RISK");
        }
    }

    @Test
    void aDeadKmipServerFailsWithWhatIsAtRisk() throws Exception {
        KmipTestStore.require();
        TcpProxy proxy = new TcpProxy(KmipTestStore.env("HOST"), Integer.parseInt(KmipTestStore.env("PORT")));
        Path dir = Files.createTempDirectory("portcullis-doctor");
        List<String> section = new ArrayList<>(List.of("[secretstore:kmip]", "secret_store_plugin = kmip_plugin",
                "global_default = True", ""));
        for (String line : KmipTestStore.pluginSection()) {
            section.add(line.startsWith("port = ") ? "port = " + proxy.port()
                    : line.startsWith("host = ") ? "host = 127.0.0.1" : line);
        }
        String sql = TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir);
        try (TestServer server = TestServer.startWith(dir, sql, List.of(),
                new TestServer.DefaultStore("kmip", String.join("\n", section)))) {
            new Api(server.url(), "doc-kmip").createText("held by KMIP");
            String conf = dir.resolve("portcullis.conf").toString();
            var healthy = doctor("--config", conf);
            assertThat(healthy.getValue()).contains("PASS  store kmip existing secrets: decrypted a random sample: 1/1");
            proxy.close(); // the KMIP server is gone for this node
            var r = doctor("--config", conf);
            assertThat(r.getKey()).as(r.getValue()).isEqualTo(2);
            assertThat(r.getValue()).contains("FAIL  store kmip").contains("1 existing secret(s) in this store cannot be "
                    + "read now").contains("Existing secrets: AT RISK");
        } finally {
            proxy.close();
        }
    }
}
