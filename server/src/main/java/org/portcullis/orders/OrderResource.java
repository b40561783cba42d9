package org.portcullis.orders;

import java.util.LinkedHashMap;
import java.util.Map;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.audit.AuditTrail;
import org.portcullis.http.ApiException;
import org.portcullis.http.Exchange;
import org.portcullis.http.PageLinks;
import org.portcullis.http.Paging;
import org.portcullis.http.ResourceIds;
import org.portcullis.http.Router;
import org.portcullis.http.Timestamps;

/** {@code /v1/orders}. */
public final class OrderResource {
    private final OrderService service;
    private final AuditTrail audit;

    public OrderResource(OrderService service, AuditTrail audit) {
        this.service = service;
        this.audit = audit;
    }

    public void register(Router r) {
        r.post("/v1/orders", ex -> {
            service.authorize(ex.context(), "orders:post");
            Order order = service.create(ex.context(), OrderRequests.parse(ex.jsonBody()));
            audit.record(ex, AuditAction.CREATE, AuditTarget.ORDER, order.id(), details(order));
            String ref = ref(ex, order.id());
            ex.responseHeader("Location", ref);
            ex.json(202, Map.of("order_ref", ref));
        });
        r.put("/v1/orders", ex -> {
            throw new ApiException(405, "Order update is not supported.");
        });
        r.get("/v1/orders", ex -> {
            Paging paging = Paging.of(ex.queryParams());
            int limit = paging.limit();
            int offset = paging.offset();
            OrderService.Page page = service.list(ex.context(), limit, offset);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("orders", page.orders().stream().map(o -> json(ex, o)).toList());
            body.put("total", page.total());
            PageLinks.add(body, ex.baseUrl() + "/v1/orders", ex.queryParams(), limit, offset, page.total(),
                    page.orders().size());
            ex.json(200, body);
        });
        r.get("/v1/orders/{id}", ex -> ex.json(200, json(ex, service.get(ex.context(), id(ex)))));
        r.delete("/v1/orders/{id}", ex -> {
            service.delete(ex.context(), id(ex));
            audit.record(ex, AuditAction.DELETE, AuditTarget.ORDER, id(ex));
            ex.noContent();
        });
    }

    /** What the order made (a generated secret or container), for its audit event. */
    private static Map<String, Object> details(Order o) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", o.type());
        d.put("status", o.status());
        if (o.secretId() != null) {
            d.put("secret_id", o.secretId());
        }
        if (o.containerId() != null) {
            d.put("container_id", o.containerId());
        }
        return d;
    }

    private static Map<String, Object> json(Exchange ex, Order o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created", Timestamps.format(o.createdAt()));
        m.put("updated", Timestamps.format(o.updatedAt()));
        m.put("status", o.status());
        m.put("type", o.type());
        m.put("meta", o.meta());
        m.put("order_ref", ref(ex, o.id()));
        if (o.secretId() != null) {
            m.put("secret_ref", ex.baseUrl() + "/v1/secrets/" + o.secretId());
        }
        if (o.containerId() != null) {
            m.put("container_ref", ex.baseUrl() + "/v1/containers/" + o.containerId());
        }
        if (o.errorStatusCode() != null) {
            m.put("error_status_code", o.errorStatusCode());
        }
        if (o.errorReason() != null) {
            m.put("error_reason", o.errorReason());
        }
        m.put("sub_status", "Unknown");
        m.put("sub_status_message", "Unknown");
        if (o.creatorId() != null) {
            m.put("creator_id", o.creatorId());
        }
        return m;
    }

    private static String ref(Exchange ex, String id) {
        return ex.baseUrl() + "/v1/orders/" + id;
    }

    private static String id(Exchange ex) {
        return ResourceIds.require(ex.pathParam("id"), "order");
    }
}
