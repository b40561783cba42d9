package org.portcullis.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.NodePerClass;
import org.portcullis.testing.TestDatabases;

/** {@code GET /metrics} on a real node: who may read it, what it measures, and that no label is unbounded. */
class MetricsIT extends NodePerClass {
    private Api admin;

    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }

    @Override
    protected List<String> config() {
        return List.of("[portcullis]", "metrics_bind = 127.0.0.1:0", "expiry_warning_days = 30");
    }

    @BeforeAll
    void clients() {
        admin = new Api(server.url(), "proj-" + UUID.randomUUID());
    }

    private String scrape() {
        Api.Response r = admin.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    /** The value of the one sample line that starts with {@code series}, or null. */
    private static Double sample(String scrape, String series) {
        List<String> lines = scrape.lines().filter(l -> l.startsWith(series + " ")).toList();
        assertThat(lines).hasSizeLessThanOrEqualTo(1);
        return lines.isEmpty() ? null : Double.parseDouble(lines.get(0).substring(series.length() + 1));
    }

    @Test
    void onlyAdminsReadMetricsOnTheApiPort() {
        Api member = new Api(server.url(), "proj-" + UUID.randomUUID(), "member", "u1");
        assertThat(member.get("/metrics").status()).isEqualTo(403);
        Api.Response r = admin.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain").contains("version=0.0.4");
        assertThat(r.body()).contains("# TYPE portcullis_http_requests_seconds histogram",
                "portcullis_build_info{", "jvm_memory_used_bytes{", "hikaricp_connections_active{pool=\"sqlite-writer\"}",
                "hikaricp_connections_pending{pool=\"sqlite-reader\"}", "portcullis_audit_queue_depth ",
                "portcullis_audit_refusing 0", "portcullis_store_up{store=\"software\"} 1");
    }

    @Test
    void requestsAreCountedByRouteTemplateNotByPath() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            assertThat(admin.get("/v1/secrets/" + id).status()).isEqualTo(404);
        }
        admin.send("BREW", "/v1/secrets", null, null);
        String name = "name-" + UUID.randomUUID();
        String created = admin.postJson("/v1/secrets", "{\"name\":\"" + name + "\",\"payload\":\"p-" + name
                + "\",\"payload_content_type\":\"text/plain\"}").json().get("secret_ref").asText();
        ids.add(created.substring(created.lastIndexOf('/') + 1));

        String scrape = scrape();
        List<String> notFound = scrape.lines()
                .filter(l -> l.startsWith("portcullis_http_requests_seconds_count{") && l.contains("status=\"404\""))
                .toList();
        assertThat(notFound).containsExactly(
                "portcullis_http_requests_seconds_count{method=\"GET\",route=\"/v1/secrets/{id}\",status=\"404\"} 100");
        assertThat(scrape).contains("method=\"other\",route=\"unmatched\",status=\"405\"");
        for (String id : ids) {
            assertThat(scrape).doesNotContain(id);
        }
        assertThat(scrape).doesNotContain(name).doesNotContain(admin.toString());
        // every label value in the whole scrape comes from a small set: no id-like value anywhere
        assertThat(scrape.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> l.matches(".*[0-9a-f]{8}-[0-9a-f]{4}-.*"))).isEmpty();
    }

    @Test
    void storesDatabaseAndAuditAreMeasured() {
        String id = admin.createText("measured");
        assertThat(admin.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body()).isEqualTo("measured");
        String scrape = scrape();
        assertThat(sample(scrape, "portcullis_store_operations_seconds_count{operation=\"store\",store=\"software\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(scrape, "portcullis_store_operations_seconds_count{operation=\"retrieve\",store=\"software\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(scrape, "portcullis_db_transactions_seconds_count{kind=\"write\",outcome=\"commit\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(scrape, "portcullis_audit_write_seconds_count")).isGreaterThanOrEqualTo(2);
        assertThat(scrape).contains("portcullis_audit_fsync_seconds_bucket{le=\"0.001\"}");
    }

    @Test
    void secretsExpiringWithinTheWindowAreCounted() {
        Api project = new Api(server.url(), "proj-" + UUID.randomUUID());
        double before = sample(scrape(), "portcullis_secrets_expiring{window_days=\"30\"}");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (long days : new long[] {10, 60}) {
            assertThat(project.postJson("/v1/secrets", "{\"payload\":\"x\",\"payload_content_type\":\"text/plain\","
                    + "\"expiration\":\"" + now.plus(days, ChronoUnit.DAYS) + "\"}").status()).isEqualTo(201);
        }
        assertThat(sample(scrape(), "portcullis_secrets_expiring{window_days=\"30\"}")).isEqualTo(before + 1);
    }

    @Test
    void metricsBindServesScrapersWithoutCredentials() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.app().metricsPort();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("portcullis_http_requests_seconds_bucket");
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/v1/secrets")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
}
