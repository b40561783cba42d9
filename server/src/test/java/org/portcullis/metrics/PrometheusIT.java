package org.portcullis.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.Prometheus;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * A real Prometheus scrapes a node through {@code metrics_bind} while it serves a short, bounded
 * load; PromQL then sees exactly the requests that were made and their latency histogram.
 */
class PrometheusIT {
    private static final int MISSES = 40;
    private static final int SECRETS = 10;
    /** How long Prometheus may take, at worst, to scrape what is already final; not a timing assumption. */
    private static final Duration GIVE_UP = Duration.ofMinutes(3);

    @Test
    void prometheusSeesTheRequestCountAndLatencyHistogram() throws Exception {
        Prometheus prometheus = Prometheus.fromEnvironment();
        String run = UUID.randomUUID().toString();
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE,
                List.of("[portcullis]", "metrics_bind = 127.0.0.1:0"))) {
            Path target = prometheus.scrape("node-" + run, "127.0.0.1:" + server.app().metricsPort(), Map.of("run", run));
            try {
                Api api = new Api(server.url(), "proj-" + run);
                for (int i = 0; i < MISSES; i++) {
                    assertThat(api.get("/v1/secrets/" + UUID.randomUUID()).status()).isEqualTo(404);
                }
                for (int i = 0; i < SECRETS; i++) {
                    String id = api.createText("load-" + i);
                    assertThat(api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").status()).isEqualTo(200);
                }
                // The node's counters are final now; wait for a scrape that has them all.
                String misses = "sum(portcullis_http_requests_seconds_count{run=\"" + run
                        + "\",route=\"/v1/secrets/{id}\",method=\"GET\",status=\"404\"})";
                String creates = "sum(portcullis_http_requests_seconds_count{run=\"" + run
                        + "\",route=\"/v1/secrets\",method=\"POST\",status=\"201\"})";
                Instant deadline = Instant.now().plus(GIVE_UP);
                while (value(prometheus.query(misses)) != MISSES || value(prometheus.query(creates)) != SECRETS) {
                    assertThat(Instant.now()).as("Prometheus never scraped the final counts").isBefore(deadline);
                    Thread.sleep(200);
                }

                JsonNode buckets = prometheus.query("sum by (le) (portcullis_http_requests_seconds_bucket{run=\""
                        + run + "\",route=\"/v1/secrets\",method=\"POST\"})");
                assertThat(buckets.size()).isGreaterThan(5);
                double inf = 0;
                for (JsonNode b : buckets) {
                    if (b.path("metric").path("le").asText().equals("+Inf")) {
                        inf = b.path("value").get(1).asDouble();
                    }
                }
                assertThat(inf).isEqualTo(SECRETS);
                double median = value(prometheus.query("histogram_quantile(0.5, sum by (le) ("
                        + "portcullis_http_requests_seconds_bucket{run=\"" + run + "\",route=\"/v1/secrets\"}))"));
                assertThat(median).isPositive().isLessThanOrEqualTo(10.0);
            } finally {
                Files.deleteIfExists(target);
            }
        }
    }

    /** The one sample of an instant vector, or -1 while there is none. */
    private static double value(JsonNode result) {
        return result.isEmpty() ? -1 : result.get(0).path("value").get(1).asDouble();
    }
}
