package org.portcullis.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.TcpProxy;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/** {@code /healthcheck} reports the stores, the database and the audit trail, and recovers by itself. */
class HealthcheckIT {
    private static List<String> kinds(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.get("checks").forEach(c -> out.add(c.get("kind").asText()));
        return out;
    }

    @Test
    void theAuditTrailRefusingIsA503AndTheNodeRecoversWhenItsFileIsBack() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-it");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String sql = TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir);
        try (TestServer server = TestServer.startWith(dir, sql, List.of("[audit]", "file = " + logs.resolve("audit.log")))) {
            Api anon = new Api(server.url(), null);
            Api api = new Api(server.url(), "health-" + UUID.randomUUID());
            String id = api.createText("still here");
            Api.Response ok = anon.get("/healthcheck");
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(ok.json().get("status").asText()).isEqualTo("OK");
            assertThat(kinds(ok.json())).contains("store", "database", "audit");
            assertThat(ok.json().get("stores")).hasSize(2);
            Api.Response head = anon.send("HEAD", "/healthcheck", null, null);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.bytes()).isEmpty();
            int events = Files.readAllLines(logs.resolve("audit.log")).size();
            anon.get("/healthcheck");
            assertThat(Files.readAllLines(logs.resolve("audit.log")).size()).as("a poll writes no event").isEqualTo(events);

            Path away = dir.resolve("logs-away");
            Files.move(logs, away); // the volume is gone; no request has tried to write yet
            Api.Response failing = anon.get("/healthcheck");
            assertThat(failing.status()).isEqualTo(503);
            assertThat(failing.json().get("status").asText()).isEqualTo("FAILING");
            assertThat(failing.json().get("failed").get(0).asText()).startsWith("audit ");
            assertThat(failing.json().get("secrets_at_risk").asBoolean()).isFalse();
            assertThat(failing.json().get("existing_secrets").asText()).startsWith("safe");
            assertThat(anon.send("HEAD", "/healthcheck", null, null).status()).isEqualTo(503);
            assertThat(api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").status()).isEqualTo(503);

            Files.move(away, logs); // back: the next poll alone brings the node back, no API request needed
            assertThat(anon.get("/healthcheck").status()).isEqualTo(200);
            assertThat(Files.readString(logs.resolve("audit.log"))).contains("the trail resumes after a write failure");
            assertThat(api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body()).isEqualTo("still here");
        }
    }

    @Test
    void anUnreachableDatabaseIsA503AndTheNodeRecoversWhenItIsBack() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-it");
        String sql = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
        URI pg = URI.create(sql.substring("jdbc:".length()));
        TcpProxy proxy = new TcpProxy(pg.getHost(), pg.getPort());
        int port = proxy.port();
        String viaProxy = sql.replace(pg.getHost() + ":" + pg.getPort(), "127.0.0.1:" + port);
        try (TestServer server = TestServer.startWith(dir, viaProxy, List.of())) {
            Api anon = new Api(server.url(), null);
            assertThat(anon.get("/healthcheck").status()).isEqualTo(200);
            proxy.close(); // the database is gone for this node
            Api.Response failing = anon.get("/healthcheck");
            assertThat(failing.status()).as(failing.body()).isEqualTo(503);
            assertThat(failing.json().get("failed").toString()).contains("database postgresql");
            assertThat(failing.json().get("secrets_at_risk").asBoolean()).isFalse();
            proxy = new TcpProxy(pg.getHost(), pg.getPort(), port); // back
            int status = 0;
            for (int i = 0; i < 600 && status != 200; i++) { // until the pool has reconnected: no fixed wait
                status = anon.get("/healthcheck").status();
                if (status != 200) {
                    Thread.sleep(100);
                }
            }
            assertThat(status).isEqualTo(200);
        } finally {
            proxy.close();
        }
    }
}
