package org.portcullis.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

/**
 * The real Prometheus that {@code scripts/prometheus.sh start DIR} runs, as the tests see it
 * through {@code PORTCULLIS_TEST_PROMETHEUS_*}: a target file it discovers by itself, and PromQL
 * through its HTTP API. Without the variables a test is skipped, or fails under CI=true or
 * PORTCULLIS_REQUIRE_SERVICES=1.
 */
public final class Prometheus {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String url;
    private final Path targets;

    private Prometheus(String url, Path targets) {
        this.url = url;
        this.targets = targets;
    }

    public static Prometheus fromEnvironment() {
        String url = System.getenv("PORTCULLIS_TEST_PROMETHEUS_URL");
        String targets = System.getenv("PORTCULLIS_TEST_PROMETHEUS_TARGETS");
        if (url == null || url.isBlank() || targets == null) {
            String why = "no Prometheus: run `scripts/prometheus.sh start DIR` and export its lines as "
                    + "PORTCULLIS_TEST_PROMETHEUS_* (./portcullis test does this)";
            if ("true".equals(System.getenv("CI")) || "1".equals(System.getenv("PORTCULLIS_REQUIRE_SERVICES"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        return new Prometheus(url, Path.of(targets));
    }

    /** Makes Prometheus scrape {@code hostPort}/metrics with {@code labels} on every series; returns the file. */
    public Path scrape(String name, String hostPort, Map<String, String> labels) throws IOException {
        Path tmp = targets.resolve(name + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(
                java.util.List.of(Map.of("targets", java.util.List.of(hostPort), "labels", labels))));
        // Renamed into place, so Prometheus never reads a half-written file.
        return Files.move(tmp, targets.resolve(name + ".json"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** An instant PromQL query's {@code data.result} array. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new AssertionError("PromQL " + promql + " failed: " + r.statusCode() + " " + r.body());
        }
        return body.path("data").path("result");
    }
}
