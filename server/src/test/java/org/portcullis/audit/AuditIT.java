package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.Portcullis;
import org.portcullis.http.ApiException;
import org.portcullis.http.AuditHook;
import org.portcullis.http.HttpServer;
import org.portcullis.http.Router;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The audit trail of a real node: what each API family records, denials, failure, rotation, secrecy. */
class AuditIT {
    private static final String LEGACY = "enforce_new_defaults = False";
    private static final String SERVICE_ADMIN = "key-manager:service-admin";
    private static final String V11 = "key-manager 1.1";

    private static List<JsonNode> events(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(org.portcullis.http.Json.MAPPER.readTree(line));
        }
        return out;
    }

    /** Runs {@code portcullis manage audit verify ARGS}: exit code and everything it printed. */
    private static Map.Entry<Integer, String> verifyCli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            List<String> argv = new ArrayList<>(List.of("manage", "audit", "verify"));
            argv.addAll(List.of(args));
            int code = new CommandLine(new Portcullis()).execute(argv.toArray(String[]::new));
            return Map.entry(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private record Expected(String action, String typeUri, String outcome) {}

    @Test
    void everyActionFamilyIsRecordedAndVerifyCatchesAnEditedLine() throws Exception {
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE, List.of("[oslo_policy]", LEGACY))) {
            String project = "audit-" + UUID.randomUUID();
            Api api = new Api(server.url(), project, null, "alice");
            Map<String, Expected> expected = new LinkedHashMap<>();
            // Checks a response's status and notes the event its request must leave.
            java.util.function.BiConsumer<Api.Response, Object[]> expect = (r, e) -> {
                assertThat(r.status()).as(r.body()).isEqualTo((int) e[0]);
                expected.put(r.header("x-openstack-request-id"),
                        new Expected((String) e[1], AuditTarget.PREFIX + e[2], (String) e[3]));
            };

            Api.Response created = api.postJson("/v1/secrets", "{\"payload\":\"p-1\",\"payload_content_type\":\"text/plain\"}");
            expect.accept(created, new Object[] {201, "create", "secrets", "success"});
            String secret = created.json().get("secret_ref").asText().replaceAll(".*/", "");
            String s = "/v1/secrets/" + secret;
            Api.Response empty = api.postJson("/v1/secrets", "{\"name\":\"two-step\"}");
            String second = empty.json().get("secret_ref").asText().replaceAll(".*/", "");
            expect.accept(api.put("/v1/secrets/" + second, "text/plain", "later".getBytes()),
                    new Object[] {204, "update", "secrets/payload", "success"});
            expect.accept(api.get(s + "/payload", "Accept", "text/plain"), new Object[] {200, "read", "secrets/payload", "success"});
            expect.accept(api.get(s, "Accept", "text/plain"), new Object[] {200, "read", "secrets/payload", "success"});
            Api.Response metadataRead = api.get(s); // metadata reads are not audited
            expect.accept(api.putJson(s + "/metadata", "{\"metadata\":{\"k\":\"v\"}}"),
                    new Object[] {201, "update", "secrets/metadata", "success"});
            expect.accept(api.postJson(s + "/metadata", "{\"key\":\"k2\",\"value\":\"v\"}"),
                    new Object[] {201, "create", "secrets/metadata", "success"});
            expect.accept(api.putJson(s + "/metadata/k2", "{\"key\":\"k2\",\"value\":\"w\"}"),
                    new Object[] {200, "update", "secrets/metadata", "success"});
            expect.accept(api.delete(s + "/metadata/k2"), new Object[] {204, "delete", "secrets/metadata", "success"});
            String consumer = "{\"service\":\"cinder\",\"resource_type\":\"volume\",\"resource_id\":\"vol-1\"}";
            expect.accept(api.postJson(s + "/consumers", consumer, "OpenStack-API-Version", V11),
                    new Object[] {200, "create", "secrets/consumers", "success"});
            expect.accept(api.send("DELETE", s + "/consumers", "application/json", consumer.getBytes(),
                    "OpenStack-API-Version", V11), new Object[] {200, "delete", "secrets/consumers", "success"});
            expect.accept(api.putJson(s + "/acl", "{\"read\":{\"users\":[\"octavia\"]}}"),
                    new Object[] {200, "update", "secrets/acl", "success"});
            expect.accept(api.send("PATCH", s + "/acl", "application/json", "{\"read\":{\"project-access\":false}}".getBytes()),
                    new Object[] {200, "update", "secrets/acl", "success"});
            expect.accept(api.delete(s + "/acl"), new Object[] {200, "delete", "secrets/acl", "success"});

            Api.Response container = api.postJson("/v1/containers", "{\"type\":\"generic\",\"name\":\"c\",\"secret_refs\":"
                    + "[{\"name\":\"a\",\"secret_ref\":\"" + server.url() + s + "\"}]}");
            expect.accept(container, new Object[] {201, "create", "containers", "success"});
            String c = "/v1/containers/" + container.json().get("container_ref").asText().replaceAll(".*/", "");
            String cc = "{\"name\":\"lbaas\",\"URL\":\"http://lb.example/1\"}";
            expect.accept(api.postJson(c + "/consumers", cc), new Object[] {200, "create", "containers/consumers", "success"});
            expect.accept(api.send("DELETE", c + "/consumers", "application/json", cc.getBytes()),
                    new Object[] {200, "delete", "containers/consumers", "success"});
            String ref = "{\"name\":\"b\",\"secret_ref\":\"" + server.url() + "/v1/secrets/" + second + "\"}";
            expect.accept(api.postJson(c + "/secrets", ref), new Object[] {201, "create", "containers/secrets", "success"});
            expect.accept(api.send("DELETE", c + "/secrets", "application/json", ref.getBytes()),
                    new Object[] {204, "delete", "containers/secrets", "success"});
            expect.accept(api.putJson(c + "/acl", "{\"read\":{\"users\":[\"u1\"]}}"),
                    new Object[] {200, "update", "containers/acl", "success"});
            expect.accept(api.delete(c), new Object[] {204, "delete", "containers", "success"});

            Api.Response order = api.postJson("/v1/orders", "{\"type\":\"key\",\"meta\":{\"algorithm\":\"aes\","
                    + "\"bit_length\":256,\"mode\":\"cbc\",\"payload_content_type\":\"application/octet-stream\"}}");
            expect.accept(order, new Object[] {202, "create", "orders", "success"});
            expect.accept(api.delete("/v1/orders/" + order.json().get("order_ref").asText().replaceAll(".*/", "")),
                    new Object[] {204, "delete", "orders", "success"});

            Api admin = api.as("ops", SERVICE_ADMIN, "operator");
            expect.accept(admin.putJson("/v1/project-quotas/" + project, "{\"project_quotas\":{\"secrets\":50}}"),
                    new Object[] {204, "update", "project-quotas", "success"});
            expect.accept(admin.delete("/v1/project-quotas/" + project), new Object[] {204, "delete", "project-quotas", "success"});
            Api.Response tk = admin.postJson("/v1/transport_keys", "{\"plugin_name\":\"dogtag\",\"transport_key\":\"PEM\"}");
            expect.accept(tk, new Object[] {201, "create", "transport_keys", "success"});
            expect.accept(admin.delete("/v1/transport_keys/" + tk.json().get("transport_key_ref").asText().replaceAll(".*/", "")),
                    new Object[] {204, "delete", "transport_keys", "success"});

            String alt = null;
            for (JsonNode st : api.get("/v1/secret-stores").json().get("secret_stores")) {
                if (!st.get("global_default").asBoolean()) {
                    alt = st.get("secret_store_ref").asText();
                }
            }
            expect.accept(api.postJson(alt + "/preferred", ""), new Object[] {204, "update", "secret-stores/preferred", "success"});
            expect.accept(api.delete(alt + "/preferred"), new Object[] {204, "delete", "secret-stores/preferred", "success"});

            // Denials, wherever they come from: another project's read, a reader's create, a non-admin quota change.
            Api stranger = api.as("elsewhere", "creator", "mallory");
            expect.accept(stranger.get(s + "/payload", "Accept", "text/plain"),
                    new Object[] {403, "read", "secrets/payload", "failure"});
            expect.accept(api.as(project, "observer", "olga").postJson("/v1/secrets", "{\"name\":\"x\"}"),
                    new Object[] {403, "create", "secrets", "failure"});
            expect.accept(api.putJson("/v1/project-quotas/" + project, "{\"project_quotas\":{\"secrets\":1}}"),
                    new Object[] {403, "update", "project-quotas", "failure"});

            // logrotate moves the file away mid-run: the next event starts a new file, linked to the old one
            Path log = server.dir().resolve("audit.log");
            Path rotated = server.dir().resolve("audit.log.1");
            Files.move(log, rotated);
            expect.accept(api.delete(s), new Object[] {204, "delete", "secrets", "success"});

            List<JsonNode> all = new ArrayList<>(events(rotated));
            all.addAll(events(log));
            Map<String, JsonNode> byRequest = new LinkedHashMap<>();
            for (JsonNode e : all) {
                if (e.has("request_id")) {
                    assertThat(byRequest.put(e.get("request_id").asText(), e)).as("one event per request").isNull();
                }
            }
            assertThat(byRequest).doesNotContainKey(metadataRead.header("x-openstack-request-id"));
            for (var entry : expected.entrySet()) {
                JsonNode e = byRequest.get(entry.getKey());
                assertThat(e).as("event of " + entry.getValue()).isNotNull();
                assertThat(new Expected(e.get("action").asText(), e.get("target").get("typeURI").asText(),
                        e.get("outcome").asText())).isEqualTo(entry.getValue());
                assertThat(e.get("initiator").get("host").get("address").asText()).isEqualTo("127.0.0.1");
                assertThat(e.get("requestPath").asText()).startsWith("/v1/");
            }
            JsonNode read = byRequest.get(expected.keySet().stream().skip(2).findFirst().orElseThrow());
            assertThat(read.get("initiator").get("id").asText()).isEqualTo("alice");
            assertThat(read.get("initiator").get("project_id").asText()).isEqualTo(project);
            assertThat(read.get("target").get("id").asText()).isEqualTo(secret);
            JsonNode denied = byRequest.values().stream().filter(e -> e.get("outcome").asText().equals("failure"))
                    .findFirst().orElseThrow();
            assertThat(denied.get("reason").get("reasonCode").asText()).isEqualTo("403");
            assertThat(denied.get("initiator").get("id").asText()).isEqualTo("mallory");
            assertThat(denied.get("target").get("id").asText()).isEqualTo(secret);

            String conf = server.dir().resolve("portcullis.conf").toString();
            var ok = verifyCli("--config", conf, rotated.toString(), log.toString());
            assertThat(ok.getValue()).contains("chain intact");
            assertThat(ok.getKey()).as(ok.getValue()).isEqualTo(0);
            var byKek = verifyCli("--kek-file", server.dir().resolve("kek-1").toString(), rotated.toString(), log.toString());
            assertThat(byKek.getKey()).as(byKek.getValue()).isEqualTo(0);

            // The edited copy: a denial turned into a success.
            List<String> lines = Files.readAllLines(rotated, StandardCharsets.UTF_8);
            int target = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("\"outcome\":\"failure\"")) {
                    target = i;
                    break;
                }
            }
            lines.set(target, lines.get(target).replace("\"outcome\":\"failure\"", "\"outcome\":\"success\""));
            Path edited = server.dir().resolve("edited.log");
            Files.writeString(edited, String.join("\n", lines) + "\n");
            var broken = verifyCli("--config", conf, edited.toString(), log.toString());
            assertThat(broken.getKey()).isEqualTo(1);
            assertThat(broken.getValue()).contains("edited.log line " + (target + 1)).contains("the line was edited");
            var wrongKey = verifyCli("--kek-file", server.dir().resolve("kek-2").toString(), rotated.toString());
            assertThat(wrongKey.getKey()).isEqualTo(1);
            assertThat(wrongKey.getValue()).contains("wrong key");
        }
    }

    @Test
    void whenTheTrailCannotBeWrittenNoPayloadLeavesAndNothingChanges() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-it");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String sql = TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir);
        try (TestServer server = TestServer.startWith(dir, sql, List.of("[audit]", "file = " + logs.resolve("audit.log")))) {
            Api api = new Api(server.url(), "failclosed-" + UUID.randomUUID());
            String id = api.createText("never-unaudited");
            Path gone = dir.resolve("logs-gone");
            Files.move(logs, gone); // the log's directory disappears (unmounted, deleted)

            Api.Response read = api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain");
            assertThat(read.status()).isEqualTo(503);
            assertThat(read.body()).doesNotContain("never-unaudited");
            assertThat(read.json().get("description").asText()).startsWith(AuditTrail.UNAVAILABLE);
            assertThat(read.json().get("title").asText()).isEqualTo("Service Unavailable");
            // Now known broken: refused before anything is done.
            int before = secrets(server);
            assertThat(api.postJson("/v1/secrets", "{\"payload\":\"x\",\"payload_content_type\":\"text/plain\"}").status())
                    .isEqualTo(503);
            assertThat(secrets(server)).isEqualTo(before);
            assertThat(api.get("/v1/secrets/" + id, "Accept", "text/plain").status()).isEqualTo(503);

            Files.createDirectories(logs); // back: the trail resumes with a probe event, linked to the old file
            assertThat(api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body()).isEqualTo("never-unaudited");
            var report = verifyCli("--config", dir.resolve("portcullis.conf").toString(),
                    gone.resolve("audit.log").toString(), logs.resolve("audit.log").toString());
            assertThat(report.getKey()).as(report.getValue()).isEqualTo(0);
            assertThat(Files.readString(logs.resolve("audit.log"))).contains("the trail resumes after a write failure");
        }
    }

    private static int secrets(TestServer server) {
        return server.app().database().read(h -> h.createQuery("SELECT count(*) FROM secrets").mapTo(Integer.class).one());
    }

    @Test
    void neitherTheTrailNorTheLogHoldsPayloadsOrKeks() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Level level = root.getLevel();
        root.addAppender(captured);
        root.setLevel(Level.DEBUG);
        String payload = "payload-" + UUID.randomUUID();
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE)) {
            Api api = new Api(server.url(), "secrecy-" + UUID.randomUUID(), null, "alice");
            String id = api.createText(payload);
            assertThat(api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body()).isEqualTo(payload);
            String b64 = Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
            Api.Response binary = api.postJson("/v1/secrets", "{\"payload\":\"" + b64 + "\",\"payload_content_type\":"
                    + "\"application/octet-stream\",\"payload_content_encoding\":\"base64\"}");
            String bin = binary.json().get("secret_ref").asText().replaceAll(".*/", "");
            assertThat(api.get("/v1/secrets/" + bin + "/payload", "Accept", "application/octet-stream").bytes())
                    .isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
            assertThat(api.as("other", "creator", "eve").get("/v1/secrets/" + id + "/payload").status()).isEqualTo(403);

            String trail = Files.readString(server.dir().resolve("audit.log"));
            assertThat(trail).contains("\"read\"").contains(id).contains(bin);
            StringBuilder logText = new StringBuilder();
            for (ILoggingEvent e : captured.list) {
                logText.append(e.getFormattedMessage()).append('\n');
                if (e.getThrowableProxy() != null) {
                    logText.append(e.getThrowableProxy().getMessage()).append('\n');
                }
            }
            assertThat(logText).contains(id); // the capture works: the 403 is logged with its path
            List<String> forbidden = new ArrayList<>(List.of(payload, b64));
            for (String kek : List.of("kek-1", "kek-2")) {
                String text = Files.readString(server.dir().resolve(kek)).strip();
                forbidden.add(text);
                forbidden.add(HexFormat.of().formatHex(Base64.getDecoder().decode(text)));
            }
            for (String f : forbidden) {
                assertThat(trail).doesNotContain(f);
                assertThat(logText.toString()).doesNotContain(f);
            }
        } finally {
            root.detachAppender(captured);
            root.setLevel(level);
        }
    }

    @Test
    void aSyslogNodeSendsItsEventsToARealUdpListener() throws Exception {
        try (DatagramSocket listener = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE, List.of("[audit]", "sink = syslog",
                    "syslog_address = udp://127.0.0.1:" + listener.getLocalPort(), "syslog_facility = local4"))) {
                Api api = new Api(server.url(), "syslog-" + UUID.randomUUID());
                String id = api.createText("via syslog");
                api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain");
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 3; i++) { // start, create, read
                    DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
                    listener.receive(p);
                    got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
                }
                assertThat(got).allMatch(m -> m.startsWith("<166>1 ")); // local4 (20) * 8 + info (6)
                assertThat(got.get(2)).contains("\"action\":\"read\"").contains(id).doesNotContain("via syslog");
                Path collected = server.dir().resolve("collected.log");
                Files.writeString(collected, String.join("\n", got) + "\n");
                var ok = verifyCli("--config", server.dir().resolve("portcullis.conf").toString(), collected.toString());
                assertThat(ok.getKey()).as(ok.getValue()).isEqualTo(0);
            }
        }
    }

    @Test
    void a401FromTheAuthenticatorIsRecordedWithoutAnIdentity() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-audit");
        AuditKey key = AuditKey.of(new byte[32], "test");
        var settings = new org.portcullis.config.PortcullisConfig.AuditSettings(true,
                org.portcullis.config.PortcullisConfig.AuditSettings.Sink.FILE, dir.resolve("audit.log"),
                org.portcullis.config.PortcullisConfig.AuditSettings.Fsync.ALWAYS, null, 10, null);
        Router router = new Router().get("/v1/secrets", ex -> ex.json(200, Map.of()));
        HttpServer http = new HttpServer("127.0.0.1", 0, router, ex -> {
            throw new ApiException(401, "The request you have made requires authentication.");
        }, null, 10_000);
        try (AuditTrail trail = AuditTrail.open(settings, key, java.time.Clock.systemUTC())) {
            AuditHook hook = trail;
            http.audit(hook);
            http.start();
            Api.Response r = new Api("http://127.0.0.1:" + http.port(), null).get("/v1/secrets", "User-Agent", "curl/8");
            assertThat(r.status()).isEqualTo(401);
            List<JsonNode> events = events(dir.resolve("audit.log"));
            JsonNode e = events.get(events.size() - 1);
            assertThat(e.get("outcome").asText()).isEqualTo("failure");
            assertThat(e.get("reason").get("reasonCode").asText()).isEqualTo("401");
            assertThat(e.get("action").asText()).isEqualTo("read");
            assertThat(e.get("initiator").get("id").asText()).isEqualTo("unknown");
            assertThat(e.get("initiator").has("project_id")).isFalse();
            assertThat(e.get("initiator").get("host").get("agent").asText()).isEqualTo("curl/8");
            assertThat(e.get("target").get("typeURI").asText()).isEqualTo("service/security/keymanager/secrets");
            assertThat(e.get("request_id").asText()).isEqualTo(r.header("x-openstack-request-id"));
        } finally {
            http.close();
        }
    }
}
