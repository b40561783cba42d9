package org.portcullis.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
    /** The timers made so far, by route, method and status: a request looks its timer up, it builds none. */
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    private record Key(String route, String method, int status) {}

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String route, String method, int status, long nanos) {
        Key key = new Key(route, METHODS.contains(method) ? method : "other", status);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, this::timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Key key) {
        return Timer.builder("portcullis.http.requests")
                .description("API requests by route template, method and status, until the response is handed to Jetty")
                .tags("route", key.route(), "method", key.method(), "status", Integer.toString(key.status()))
                .serviceLevelObjectives(Metrics.LATENCY_BUCKETS)
                .register(registry);
    }
}
