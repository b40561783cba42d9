package org.portcullis.metrics;

import org.portcullis.auth.Policy;
import org.portcullis.http.Router;

/**
 * {@code GET /metrics} on the API port, for callers the policy allows ({@code metrics:get}: admin
 * by default). Scrapers without credentials use {@link MetricsServer} on its own address instead.
 */
public final class MetricsResource {
    private final Metrics metrics;
    private final Policy policy;

    public MetricsResource(Metrics metrics, Policy policy) {
        this.metrics = metrics;
        this.policy = policy;
    }

    public void register(Router r) {
        r.get("/metrics", ex -> {
            policy.enforce(ex.context(), "metrics:get");
            ex.bytes(200, Metrics.CONTENT_TYPE, metrics.scrape());
        });
    }
}
