package org.portcullis.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.audit.AuditTrail;
import java.util.LinkedHashMap;
import java.util.Map;
import org.portcullis.http.ApiException;
import org.portcullis.http.Exchange;
import org.portcullis.http.Microversion;
import org.portcullis.http.PageLinks;
import org.portcullis.http.Paging;
import org.portcullis.http.ResourceIds;
import org.portcullis.http.Router;
import org.portcullis.http.Timestamps;

/** {@code /v1/secrets/{id}/consumers}: register, list and remove a secret's consumers. */
public final class SecretConsumerResource {
    private final SecretConsumerService service;
    private final SecretService secrets;
    private final AuditTrail audit;

    public SecretConsumerResource(SecretConsumerService service, SecretService secrets, AuditTrail audit) {
        this.audit = audit;
        this.service = service;
        this.secrets = secrets;
    }

    public void register(Router r) {
        r.post("/v1/secrets/{id}/consumers", ex -> {
            Secret secret = secrets.authorized(ex.context(), id(ex), "secret_consumers:post");
            SecretConsumer consumer = consumer(ex.jsonBody());
            Secret s = service.add(ex.context(), secret, consumer);
            audit.record(ex, AuditAction.CREATE, AuditTarget.SECRET_CONSUMERS, s.id(), details(consumer));
            ex.json(200, withConsumers(ex, s));
        });
        r.delete("/v1/secrets/{id}/consumers", ex -> {
            Secret secret = secrets.authorized(ex.context(), id(ex), "secret_consumers:delete");
            SecretConsumer consumer = consumer(ex.jsonBody());
            Secret s = service.remove(ex.context(), secret, consumer);
            audit.record(ex, AuditAction.DELETE, AuditTarget.SECRET_CONSUMERS, s.id(), details(consumer));
            ex.json(200, withConsumers(ex, s));
        });
        r.get("/v1/secrets/{id}/consumers", ex -> {
            Paging paging = Paging.of(ex.queryParams());
            SecretRepository.ConsumerPage page = service.list(ex.context(), id(ex), paging.limit(), paging.offset());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("consumers", page.consumers().stream().map(c -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("service", c.consumer().service());
                m.put("resource_type", c.consumer().resourceType());
                m.put("resource_id", c.consumer().resourceId());
                m.put("created", Timestamps.format(c.createdAt()));
                m.put("updated", Timestamps.format(c.updatedAt()));
                m.put("status", "ACTIVE");
                return m;
            }).toList());
            body.put("total", page.total());
            PageLinks.add(body, ex.baseUrl() + "/v1/secrets/" + id(ex) + "/consumers", Map.of(), paging.limit(),
                    paging.offset(), page.total(), page.consumers().size());
            ex.json(200, body);
        });
    }

    /** The secret with its consumers, whatever the microversion (as Barbican answers here). */
    private SecretJson.View withConsumers(Exchange ex, Secret s) {
        return SecretJson.of(s, ex.baseUrl(), Microversion.MAX, secrets.consumers(s.id()));
    }

    private static Map<String, Object> details(SecretConsumer c) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("service", c.service());
        d.put("resource_type", c.resourceType());
        d.put("resource_id", c.resourceId());
        return d;
    }

    static SecretConsumer consumer(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.badRequest("A consumer is a JSON object {\"service\", \"resource_type\", \"resource_id\"}.");
        }
        return new SecretConsumer(field(body, "service", 255), field(body, "resource_type", 255),
                field(body, "resource_id", 255));
    }

    private static String field(JsonNode body, String name, int max) {
        JsonNode n = body.get(name);
        if (n == null || !n.isTextual()) {
            throw ApiException.badRequest("Provided object does not match schema 'Secret Consumer': '" + name
                    + "' is a required string property. Invalid property: '" + name + "'");
        }
        String v = n.textValue().strip();
        if (v.isEmpty() || v.length() > max) {
            throw ApiException.badRequest("Provided object does not match schema 'Secret Consumer': '" + name
                    + "' must be 1 to " + max + " characters. Invalid property: '" + name + "'");
        }
        return v;
    }

    private static String id(Exchange ex) {
        return ResourceIds.require(ex.pathParam("id"), "secret");
    }
}
