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

    public SecretStoreResource(StoreRegistry registry, PreferredStores preferred, Policy policy, AuditTrail audit) {
        this.audit = audit;
        this.registry = registry;
        this.preferred = preferred;
        this.policy = policy;
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
        List<Map<String, Object>> stores = registry.all().stream().map(s -> json(s, ex.baseUrl())).toList();
        ex.json(200, Map.of("secret_stores", stores));
    }

    private void globalDefault(Exchange ex) {
        read(ex, "secretstores:get_global_default");
        ex.json(200, json(registry.globalDefault(), ex.baseUrl()));
    }

    private void getPreferred(Exchange ex) {
        read(ex, "secretstores:get_preferred");
        SecretStore store = preferred.preferred(ex.context().projectId()).flatMap(registry::byId)
                .orElseThrow(() -> ApiException.notFound("Not Found. No preferred secret store defined for this project."));
        ex.json(200, json(store, ex.baseUrl()));
    }

    private void get(Exchange ex) {
        read(ex, "secretstore:get");
        ex.json(200, json(store(ex), ex.baseUrl()));
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

    private void unsetPreferred(Exchange ex) {
        requireMultipleStores();
        policy.enforce(ex.context(), "secretstore_preferred:delete");
        if (!preferred.unset(ex.context().projectId(), store(ex).info().id())) {
            throw ApiException.notFound("Not Found. No preferred secret store defined for this project.");
        }
        audit.record(ex, AuditAction.DELETE, AuditTarget.PREFERRED_STORE, store(ex).info().id(),
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

    static Map<String, Object> json(SecretStore store, String baseUrl) {
        StoreInfo info = store.info();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("secret_store_ref", baseUrl + "/v1/secret-stores/" + info.id());
        m.put("name", info.name());
        m.put("secret_store_plugin", info.storePlugin());
        m.put("crypto_plugin", info.cryptoPlugin());
        m.put("global_default", info.globalDefault());
        m.put("status", "ACTIVE");
        m.put("created", Timestamps.format(info.createdAt()));
        m.put("updated", Timestamps.format(info.updatedAt()));
        return m;
    }
}
