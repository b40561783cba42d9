package org.portcullis.containers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.audit.AuditTrail;
import org.portcullis.http.Exchange;
import org.portcullis.http.PageLinks;
import org.portcullis.http.Paging;
import org.portcullis.http.ResourceIds;
import org.portcullis.http.Router;

/** {@code /v1/containers}: Barbican's container, container-secret and container-consumer endpoints. */
public final class ContainerResource {
    private final ContainerService service;
    private final AuditTrail audit;

    public ContainerResource(ContainerService service, AuditTrail audit) {
        this.service = service;
        this.audit = audit;
    }

    public void register(Router r) {
        r.post("/v1/containers", this::create);
        r.get("/v1/containers", this::list);
        r.get("/v1/containers/{id}", this::get);
        r.delete("/v1/containers/{id}", this::delete);
        r.get("/v1/containers/{id}/consumers", this::listConsumers);
        r.post("/v1/containers/{id}/consumers", this::addConsumer);
        r.delete("/v1/containers/{id}/consumers", this::removeConsumer);
        r.get("/v1/containers/{id}/consumers/{consumer}", this::getConsumer);
        r.post("/v1/containers/{id}/secrets", this::addSecret);
        r.delete("/v1/containers/{id}/secrets", this::removeSecret);
    }

    private void create(Exchange ex) {
        service.authorize(ex.context(), "containers:post");
        NewContainer request = ContainerRequests.newContainer(ex.jsonBody(), ex.baseUrl());
        String id = service.create(ex.context(), request);
        audit.record(ex, AuditAction.CREATE, AuditTarget.CONTAINER, id);
        String ref = ContainerJson.ref(ex.baseUrl(), id);
        ex.responseHeader("Location", ref);
        ex.json(201, Map.of("container_ref", ref));
    }

    private void list(Exchange ex) {
        ContainerFilter filter = ContainerRequests.filter(ex.queryParams());
        ContainerRepository.Page page = service.list(ex.context(), filter);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("containers", page.containers().stream().map(c -> ContainerJson.of(c, ex.baseUrl())).toList());
        body.put("total", page.total());
        PageLinks.add(body, ex.baseUrl() + "/v1/containers", ex.queryParams(), filter.paging().limit(),
                filter.paging().offset(), page.total(), page.containers().size());
        ex.json(200, body);
    }

    private void get(Exchange ex) {
        ex.json(200, ContainerJson.of(service.get(ex.context(), id(ex)), ex.baseUrl()));
    }

    private void delete(Exchange ex) {
        Container c = service.authorized(ex.context(), id(ex), "container:delete");
        service.delete(ex.context(), c);
        audit.record(ex, AuditAction.DELETE, AuditTarget.CONTAINER, c.id());
        ex.noContent();
    }

    // ---- consumers ----------------------------------------------------------------------------

    private void listConsumers(Exchange ex) {
        String id = id(ex);
        Paging paging = Paging.of(ex.queryParams());
        ContainerRepository.ConsumerPage page = service.consumers(ex.context(), id, paging);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("consumers", page.consumers().stream().map(ContainerJson::consumer).toList());
        body.put("total", page.total());
        PageLinks.add(body, ContainerJson.ref(ex.baseUrl(), id) + "/consumers", ex.queryParams(), paging.limit(),
                paging.offset(), page.total(), page.consumers().size());
        ex.json(200, body);
    }

    private void getConsumer(Exchange ex) {
        ex.json(200, ContainerJson.consumer(service.consumer(ex.context(), id(ex), ex.pathParam("consumer"))));
    }

    /** 200 (not 201) with the whole container, as Barbican answers. */
    private void addConsumer(Exchange ex) {
        Container container = service.authorized(ex.context(), id(ex), "container_consumers:post");
        String id = container.id();
        ConsumerRef consumer = ContainerRequests.consumer(ex.jsonBody());
        Container c = service.addConsumer(ex.context(), container, consumer);
        audit.record(ex, AuditAction.CREATE, AuditTarget.CONTAINER_CONSUMERS, id, consumerDetails(consumer));
        // Barbican's Location here is a path that does not exist (/v1/consumers/{id}/consumers);
        // this one names the container's consumer list.
        ex.responseHeader("Location", ContainerJson.ref(ex.baseUrl(), id) + "/consumers");
        ex.json(200, ContainerJson.of(c, ex.baseUrl()));
    }

    private void removeConsumer(Exchange ex) {
        Container container = service.authorized(ex.context(), id(ex), "container_consumers:delete");
        ConsumerRef consumer = ContainerRequests.consumer(ex.jsonBody());
        Container c = service.removeConsumer(ex.context(), container, consumer);
        audit.record(ex, AuditAction.DELETE, AuditTarget.CONTAINER_CONSUMERS, c.id(), consumerDetails(consumer));
        ex.json(200, ContainerJson.of(c, ex.baseUrl()));
    }

    // ---- secrets of a container ---------------------------------------------------------------

    private void addSecret(Exchange ex) {
        Container container = service.authorized(ex.context(), id(ex), "container_secret:post");
        ContainerService.requireGeneric(container);
        SecretRefRequest request = ContainerRequests.secretRef(ex.jsonBody());
        service.addSecret(ex.context(), container, request);
        String id = container.id();
        audit.record(ex, AuditAction.CREATE, AuditTarget.CONTAINER_SECRETS, id, secretDetails(request));
        String ref = ContainerJson.ref(ex.baseUrl(), id);
        ex.responseHeader("Location", ref);
        ex.json(201, Map.of("container_ref", ref));
    }

    private void removeSecret(Exchange ex) {
        Container container = service.authorized(ex.context(), id(ex), "container_secret:delete");
        SecretRefRequest request = ContainerRequests.secretRef(ex.jsonBody());
        service.removeSecret(ex.context(), container, request);
        audit.record(ex, AuditAction.DELETE, AuditTarget.CONTAINER_SECRETS, container.id(), secretDetails(request));
        ex.noContent();
    }

    /** The consumer of an accepted request, for its audit event. */
    private static Map<String, Object> consumerDetails(ConsumerRef c) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", c.name());
        d.put("URL", c.url());
        return d;
    }

    private static Map<String, Object> secretDetails(SecretRefRequest r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("secret_id", r.secretId());
        if (r.name() != null) {
            d.put("name", r.name());
        }
        return d;
    }

    private static String id(Exchange ex) {
        return ResourceIds.require(ex.pathParam("id"), "container");
    }
}
