package org.portcullis.stores;

import java.util.List;
import org.portcullis.health.HealthCheck;

/** A store's round trip ({@link SecretStore#health()}) as one of the node's health checks. */
public record StoreHealthCheck(SecretStore store) implements HealthCheck {
    /** One check per configured store. */
    public static List<HealthCheck> all(StoreRegistry registry) {
        return registry.all().stream().<HealthCheck>map(StoreHealthCheck::new).toList();
    }

    @Override
    public String kind() {
        return "store";
    }

    @Override
    public String name() {
        return store.info().name();
    }

    @Override
    public Verdict check() {
        StoreHealth h;
        try {
            h = store.health();
        } catch (RuntimeException e) {
            h = new StoreHealth(false, "health check failed: " + e.getMessage(), false, 0);
        }
        return new Verdict(h.ok(), h.detail(), h.secretsAtRisk(), h.elapsedMicros());
    }
}
