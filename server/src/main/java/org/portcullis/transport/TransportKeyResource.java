package org.portcullis.transport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.audit.AuditTrail;
import org.portcullis.http.ApiException;
import org.portcullis.http.Exchange;
import org.portcullis.http.Json;
import org.portcullis.http.PageLinks;
import org.portcullis.http.Paging;
import org.portcullis.http.ResourceIds;
import org.portcullis.http.Router;
import org.portcullis.http.Timestamps;

/** {@code /v1/transport_keys}: Barbican's transport key endpoints. */
public final class TransportKeyResource {
    private final TransportKeyService service;
    private final AuditTrail audit;

    public TransportKeyResource(TransportKeyService service, AuditTrail audit) {
        this.service = service;
        this.audit = audit;
    }

    public void register(Router r) {
        r.get("/v1/transport_keys", this::list);
        r.post("/v1/transport_keys", this::create);
        r.get("/v1/transport_keys/{id}", this::get);
        r.delete("/v1/transport_keys/{id}", this::delete);
    }

    static String ref(String baseUrl, String id) {
        return baseUrl + "/v1/transport_keys/" + id;
    }

    private void create(Exchange ex) {
        service.authorize(ex.context(), "transport_keys:post");
        TransportKey key = service.create(TransportKeyRequests.newTransportKey(body(ex)));
        audit.record(ex, AuditAction.CREATE, AuditTarget.TRANSPORT_KEY, key.id(),
                key.pluginName() == null ? Map.of() : Map.of("plugin_name", key.pluginName()));
        String ref = ref(ex.baseUrl(), key.id());
        ex.responseHeader("Location", ref);
        ex.json(201, Map.of("transport_key_ref", ref));
    }

    /** Barbican lists transport keys as bare hrefs; an empty page carries no links. */
    private void list(Exchange ex) {
        Paging paging = Paging.of(ex.queryParams());
        String plugin = ex.query("plugin_name");
        TransportKeyRepository.Page page = service.list(ex.context(), plugin, paging);
        List<String> refs = page.keys().stream().map(k -> ref(ex.baseUrl(), k.id())).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transport_keys", refs);
        PageLinks.add(body, ex.baseUrl() + "/v1/transport_keys", ex.queryParams(), paging.limit(), paging.offset(),
                page.total(), refs.size());
        body.put("total", page.total());
        ex.json(200, body);
    }

    private void get(Exchange ex) {
        ex.json(200, json(service.get(ex.context(), id(ex))));
    }

    private void delete(Exchange ex) {
        service.delete(ex.context(), id(ex));
        audit.record(ex, AuditAction.DELETE, AuditTarget.TRANSPORT_KEY, id(ex));
        ex.noContent();
    }

    /**
     * The row as Barbican serialises it: every column under its own name (it hands the database
     * object to its JSON encoder), times as Python prints a datetime, and no href.
     */
    static Map<String, Object> json(TransportKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("plugin_name", k.pluginName());
        m.put("transport_key", k.transportKey());
        m.put("status", "ACTIVE");
        m.put("created_at", Timestamps.format(k.createdAt()).replace('T', ' '));
        m.put("updated_at", Timestamps.format(k.updatedAt()).replace('T', ' '));
        m.put("deleted", false);
        m.put("deleted_at", null);
        return m;
    }

    private static String id(Exchange ex) {
        return ResourceIds.require(ex.pathParam("id"), "transport key");
    }

    /** Barbican's order: JSON content type (415), then well-formed JSON (400). */
    private static JsonNode body(Exchange ex) {
        if (!"application/json".equals(ex.requestMediaType())) {
            throw new ApiException(415, "Unexpected content type. Expected content types are: ['application/json']");
        }
        return Json.parse(ex.body());
    }
}
