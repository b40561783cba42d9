package org.portcullis.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import org.portcullis.metrics.Metrics;

/**
 * {@code portcullis_http_requests_seconds}: every request's latency by route template, method
 * and status. The route is the template ({@code /v1/secrets/{id}}), never the path, and a method
 * outside HTTP's usual few counts as {@code other}, so no client can create series at will.
 */
final class RequestMetrics {
    /** Requests that matched no route (404, 405). */
    static final String UNMATCHED = "unmatched";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String route, String method, int status, long nanos) {
        Timer.builder("portcullis.http.requests")
                .description("API requests by route template, method and status, until the response is handed to Jetty")
                .tags("route", route, "method", METHODS.contains(method) ? method : "other",
                        "status", Integer.toString(status))
                .serviceLevelObjectives(Metrics.LATENCY_BUCKETS)
                .register(registry).record(Duration.ofNanos(nanos));
    }
}
