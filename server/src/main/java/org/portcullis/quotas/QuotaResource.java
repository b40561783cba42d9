package org.portcullis.quotas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
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
import org.portcullis.http.Router;

/** {@code /v1/quotas} and {@code /v1/project-quotas}: Barbican's quota endpoints. */
public final class QuotaResource {
    private final QuotaService service;
    private final AuditTrail audit;

    public QuotaResource(QuotaService service, AuditTrail audit) {
        this.service = service;
        this.audit = audit;
    }

    public void register(Router r) {
        r.get("/v1/quotas", this::effective);
        r.get("/v1/project-quotas", this::list);
        r.get("/v1/project-quotas/{project_id}", this::get);
        r.put("/v1/project-quotas/{project_id}", this::put);
        r.delete("/v1/project-quotas/{project_id}", this::delete);
    }

    private void effective(Exchange ex) {
        ex.json(200, Map.of("quotas", service.effective(ex.context()).toJson()));
    }

    private void list(Exchange ex) {
        Paging paging = Paging.of(ex.queryParams());
        QuotaRepository.Page page = service.list(ex.context(), paging);
        List<Map<String, Object>> items = new ArrayList<>();
        for (ProjectQuota q : page.quotas()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("project_id", q.projectId());
            item.put("project_quotas", q.values().toJson());
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project_quotas", items);
        // Barbican's links point at /v1/project_quotas, which does not exist; these work.
        PageLinks.add(body, ex.baseUrl() + "/v1/project-quotas", ex.queryParams(), paging.limit(), paging.offset(),
                page.total(), items.size());
        body.put("total", page.total());
        ex.json(200, body);
    }

    private void get(Exchange ex) {
        ex.json(200, Map.of("project_quotas", service.projectQuotas(ex.context(), ex.pathParam("project_id")).toJson()));
    }

    private void put(Exchange ex) {
        service.authorize(ex.context(), "project_quotas:put");
        Map<Resource, Integer> quotas = QuotaRequests.projectQuotas(body(ex));
        service.set(ex.pathParam("project_id"), quotas);
        Map<String, Object> values = new LinkedHashMap<>();
        quotas.forEach((r, v) -> values.put(r.apiName(), v));
        audit.record(ex, AuditAction.UPDATE, AuditTarget.PROJECT_QUOTAS, ex.pathParam("project_id"), values);
        ex.noContent();
    }

    private void delete(Exchange ex) {
        service.authorize(ex.context(), "project_quotas:delete");
        service.delete(ex.pathParam("project_id"));
        audit.record(ex, AuditAction.DELETE, AuditTarget.PROJECT_QUOTAS, ex.pathParam("project_id"));
        ex.noContent();
    }

    /** Barbican's order: JSON content type (415), then a body at all, then well-formed JSON. */
    private static JsonNode body(Exchange ex) {
        if (!"application/json".equals(ex.requestMediaType())) {
            throw new ApiException(415, "Unexpected content type. Expected content types are: ['application/json']");
        }
        byte[] body = ex.body();
        if (body.length == 0) {
            throw QuotaRequests.noData();
        }
        return Json.parse(body);
    }
}
