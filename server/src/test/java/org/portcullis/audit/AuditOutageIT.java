package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.portcullis.Portcullis;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;
import picocli.CommandLine;

/**
 * A request whose audit event cannot be written leaves nothing behind: for every family of
 * change, the log's directory vanishes just before the request, the client gets a 503 that says
 * nothing was changed, and every table is exactly as before. The trail sees a vanished directory
 * before the request runs and refuses it then; a write that fails inside the request's
 * transaction rolls it back ({@code RequestTransactionTest}, {@code AuditChainTest}). The trail
 * then resumes by itself when the directory is back.
 */
class AuditOutageIT {
    private static final String V11 = "key-manager 1.1";

    @Test
    void aChangeWhoseEventCannotBeWrittenIsRolledBack() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-it");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String sql = TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir);
        try (TestServer server = TestServer.startWith(dir, sql, List.of("[oslo_policy]", "enforce_new_defaults = False",
                "[audit]", "file = " + logs.resolve("audit.log")))) {
            String project = "outage-" + UUID.randomUUID();
            Api api = new Api(server.url(), project);
            Api admin = api.as("ops", "key-manager:service-admin", "operator");
            String secret = api.createText("kept-through-the-outage");
            String s = "/v1/secrets/" + secret;
            String empty = api.postJson("/v1/secrets", "{\"name\":\"two-step\"}").json().get("secret_ref").asText()
                    .replaceAll(".*/", "");
            String c = "/v1/containers/" + api.postJson("/v1/containers", "{\"type\":\"generic\",\"name\":\"c\"}").json()
                    .get("container_ref").asText().replaceAll(".*/", "");
            String alt = null;
            for (var st : api.get("/v1/secret-stores").json().get("secret_stores")) {
                if (!st.get("global_default").asBoolean()) {
                    alt = st.get("secret_store_ref").asText();
                }
            }
            String altStore = alt;
            String ref = "{\"name\":\"a\",\"secret_ref\":\"" + server.url() + s + "\"}";

            Map<String, Supplier<Api.Response>> changes = new LinkedHashMap<>();
            changes.put("create secret", () -> api.postJson("/v1/secrets",
                    "{\"payload\":\"lost\",\"payload_content_type\":\"text/plain\"}"));
            changes.put("put payload", () -> api.put("/v1/secrets/" + empty, "text/plain", "later".getBytes()));
            changes.put("delete secret", () -> api.delete(s));
            changes.put("metadata", () -> api.putJson(s + "/metadata", "{\"metadata\":{\"k\":\"v\"}}"));
            changes.put("secret consumer", () -> api.postJson(s + "/consumers",
                    "{\"service\":\"nova\",\"resource_type\":\"instance\",\"resource_id\":\"i-1\"}", "OpenStack-API-Version", V11));
            changes.put("secret acl", () -> api.putJson(s + "/acl", "{\"read\":{\"users\":[\"u1\"]}}"));
            changes.put("create container", () -> api.postJson("/v1/containers", "{\"type\":\"generic\",\"name\":\"d\"}"));
            changes.put("container consumer", () -> api.postJson(c + "/consumers",
                    "{\"name\":\"lb\",\"URL\":\"http://lb.example/1\"}"));
            changes.put("container secret", () -> api.postJson(c + "/secrets", ref));
            changes.put("delete container", () -> api.delete(c));
            changes.put("order", () -> api.postJson("/v1/orders", "{\"type\":\"key\",\"meta\":{\"algorithm\":\"aes\","
                    + "\"bit_length\":256,\"mode\":\"cbc\",\"payload_content_type\":\"application/octet-stream\"}}"));
            changes.put("quota", () -> admin.putJson("/v1/project-quotas/" + project,
                    "{\"project_quotas\":{\"secrets\":5}}"));
            changes.put("transport key", () -> admin.postJson("/v1/transport_keys",
                    "{\"plugin_name\":\"dogtag\",\"transport_key\":\"PEM\"}"));
            changes.put("preferred store", () -> api.postJson(altStore + "/preferred", ""));

            Path away = dir.resolve("logs-away");
            for (var change : changes.entrySet()) {
                assertThat(api.get(s).status()).as("the trail is writable again").isEqualTo(200);
                Map<String, List<String>> before = tables(server);
                Files.move(logs, away); // the volume goes away while nothing is known to be wrong
                Api.Response r = change.getValue().get();
                Files.move(away, logs); // and comes back, the same file
                assertThat(r.status()).as(change.getKey() + ": " + r.body()).isEqualTo(503);
                assertThat(r.json().get("description").asText()).as(change.getKey()).contains("Nothing was changed");
                assertThat(r.header("Location")).isNull();
                assertThat(tables(server)).as(change.getKey() + " left nothing behind").isEqualTo(before);
            }
            // The rolled-back delete did not destroy the payload either.
            assertThat(api.get(s + "/payload", "Accept", "text/plain").body()).isEqualTo("kept-through-the-outage");
            int verify = new CommandLine(new Portcullis()).execute("manage", "audit", "verify", "--config",
                    dir.resolve("portcullis.conf").toString(), logs.resolve("audit.log").toString());
            assertThat(verify).as("one intact chain across the outages").isZero();
        }
    }

    /** Every row of every table, as text (blobs in base64). */
    private static Map<String, List<String>> tables(TestServer server) {
        return server.app().database().read(h -> {
            Map<String, List<String>> out = new TreeMap<>();
            for (String t : h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table'").mapTo(String.class).list()) {
                List<String> rows = new ArrayList<>();
                for (Map<String, Object> row : h.createQuery("SELECT * FROM \"" + t + "\"").mapToMap().list()) {
                    Map<String, Object> sorted = new TreeMap<>();
                    row.forEach((k, v) -> sorted.put(k, v instanceof byte[] b ? Base64.getEncoder().encodeToString(b) : v));
                    rows.add(sorted.toString());
                }
                rows.sort(null);
                out.put(t, rows);
            }
            return out;
        });
    }
}
