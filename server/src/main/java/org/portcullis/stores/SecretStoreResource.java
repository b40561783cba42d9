package org.portcullis.stores;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.audit.AuditTrail;
import org.portcullis.auth.Policy;
import org.portcullis.http.ApiException;
import org.portcullis.http.Exchange;
import org.portcullis.http.Router;
import org.portcullis.http.Timestamps;

/**
 * {@code /v1/secret-stores}: the configured stores, the global default, and each project's
 * preferred store. All of it is 404 when multiple stores are not enabled, as in Barbican.
 */
public final class SecretStoreResource {
    private final StoreRegistry registry;
    private final PreferredStores preferred;
    private final Policy policy;
    private final AuditTrail audit;
    private final StoreStatus status;

    public SecretStoreResource(StoreRegistry registry, PreferredStores preferred, Policy policy, AuditTrail audit) {
        this(registry, preferred, policy, audit, new StoreStatus(java.time.Clock.systemUTC()));
    }

    public SecretStoreResource(StoreRegistry registry, PreferredStores preferred, Policy policy, AuditTrail audit,
            StoreStatus status) {
        this.audit = audit;
        this.registry = registry;
        this.preferred = preferred;
        this.policy = policy;
        this.status = status;
    }

    public void register(Router r) {
        r.get("/v1/secret-stores", this::list);
        r.get("/v1/secret-stores/global-default", this::globalDefault);
        r.get("/v1/secret-stores/preferred", this::getPreferred);
        r.get("/v1/secret-stores/{id}", this::get);
        r.post("/v1/secret-stores/{id}/preferred", this::setPreferred);
        r.delete("/v1/secret-stores/{id}/preferred", this::unsetPreferred);
    }

    private void list(Exchange ex) {
        read(ex, "secretstores:get");
        List<Map<String, Object>> stores = registry.all().stream().map(s -> json(s, ex.baseUrl(), status)).toList();
        ex.json(200, Map.of("secret_stores", stores));
    }

    private void globalDefault(Exchange ex) {
        read(ex, "secretstores:get_global_default");
        ex.json(200, json(registry.globalDefault(), ex.baseUrl(), status));
    }

    private void getPreferred(Exchange ex) {
        read(ex, "secretstores:get_preferred");
        SecretStore store = preferred.preferred(ex.context().projectId()).flatMap(registry::byId)
                .orElseThrow(() -> ApiException.notFound("Not Found. No preferred secret store defined for this project."));
        ex.json(200, json(store, ex.baseUrl(), status));
    }

    private void get(Exchange ex) {
        read(ex, "secretstore:get");
        ex.json(200, json(store(ex), ex.baseUrl(), status));
    }

    private void setPreferred(Exchange ex) {
        requireMultipleStores();
        policy.enforce(ex.context(), "secretstore_preferred:post");
        String storeId = store(ex).info().id();
        preferred.set(ex.context().projectId(), storeId);
        audit.record(ex, AuditAction.UPDATE, AuditTarget.PREFERRED_STORE, storeId,
                Map.of("project_id", ex.context().projectId()));
        ex.noContent();
    }

    /**
     * As in Barbican, the store in the path must exist but need not be the preferred one: the
     * project's preference is removed whichever store it names (the event records that one).
     */
    private void unsetPreferred(Exchange ex) {
        requireMultipleStores();
        policy.enforce(ex.context(), "secretstore_preferred:delete");
        store(ex); // 404 when the path names no store
        String removed = preferred.unset(ex.context().projectId())
                .orElseThrow(() -> ApiException.notFound("Not Found. No preferred secret store defined for this project."));
        audit.record(ex, AuditAction.DELETE, AuditTarget.PREFERRED_STORE, removed,
                Map.of("project_id", ex.context().projectId()));
        ex.noContent();
    }

    private void read(Exchange ex, String rule) {
        requireMultipleStores();
        policy.enforce(ex.context(), rule);
    }

    private void requireMultipleStores() {
        if (!registry.multipleStores()) {
            throw ApiException.notFound("Not Found. Multiple backends support is not enabled in service configuration.");
        }
    }

    private SecretStore store(Exchange ex) {
        return registry.byId(ex.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("Not Found. Secret store not found."));
    }

    /**
     * Barbican's fields, plus {@code health} (Portcullis' own; clients ignore unknown fields):
     * the store's latest round trip, at most {@link StoreStatus#MAX_AGE_MILLIS} old. {@code status}
     * is Barbican's {@code ACTIVE}, or {@code ERROR} while the round trip fails.
     */
    static Map<String, Object> json(SecretStore store, String baseUrl, StoreStatus status) {
        StoreInfo info = store.info();
        StoreHealth h = status.of(store);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("secret_store_ref", baseUrl + "/v1/secret-stores/" + info.id());
        m.put("name", info.name());
        m.put("secret_store_plugin", info.storePlugin());
        m.put("crypto_plugin", info.cryptoPlugin());
        m.put("global_default", info.globalDefault());
        m.put("status", h.ok() ? "ACTIVE" : "ERROR");
        m.put("created", Timestamps.format(info.createdAt()));
        m.put("updated", Timestamps.format(info.updatedAt()));
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("ok", h.ok());
        health.put("detail", h.detail());
        health.put("secrets_at_risk", h.secretsAtRisk());
        m.put("health", health);
        return m;
    }
}
