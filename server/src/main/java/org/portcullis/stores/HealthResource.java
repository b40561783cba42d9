package org.portcullis.stores;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portcullis.http.Router;

/**
 * {@code GET /healthcheck}: a round trip through every store. 503 when any fails, with each
 * store's verdict and whether existing secrets are at risk, for load balancers and operators.
 */
public final class HealthResource {
    private final StoreRegistry registry;

    public HealthResource(StoreRegistry registry) {
        this.registry = registry;
    }

    public void register(Router r) {
        r.open("GET", "/healthcheck", ex -> {
            boolean allOk = true;
            List<Map<String, Object>> stores = new java.util.ArrayList<>();
            for (SecretStore store : registry.all()) {
                StoreHealth h = store.health();
                allOk &= h.ok();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", store.info().name());
                m.put("ok", h.ok());
                m.put("detail", h.detail());
                m.put("secrets_at_risk", h.secretsAtRisk());
                m.put("elapsed_us", h.elapsedMicros());
                stores.add(m);
            }
            ex.json(allOk ? 200 : 503, Map.of("status", allOk ? "OK" : "FAILING", "stores", stores));
        });
    }
}
