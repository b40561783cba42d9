package org.portcullis.acl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portcullis.http.Exchange;
import org.portcullis.http.ResourceIds;
import org.portcullis.http.Router;
import org.portcullis.http.Timestamps;

/** {@code /v1/secrets/{id}/acl} and {@code /v1/containers/{id}/acl}. */
public final class AclResource {
    private final AclService service;
    private final AclEntities entities;

    public AclResource(AclService service, AclEntities entities) {
        this.service = service;
        this.entities = entities;
    }

    public void register(Router r, AclEntity.Kind kind) {
        String path = "/v1/" + kind.collection() + "/{id}/acl";
        r.get(path, ex -> ex.json(200, json(service.get(ex.context(), entity(ex, kind)))));
        r.put(path, ex -> {
            AclEntity entity = entity(ex, kind);
            service.replace(ex.context(), entity, AclRequests.parse(ex.jsonBody()));
            ex.json(200, Map.of("acl_ref", ref(ex, kind, entity)));
        });
        r.patch(path, ex -> {
            AclEntity entity = entity(ex, kind);
            service.patch(ex.context(), entity, AclRequests.parse(ex.jsonBody()));
            ex.json(200, Map.of("acl_ref", ref(ex, kind, entity)));
        });
        r.delete(path, ex -> {
            service.delete(ex.context(), entity(ex, kind));
            ex.noContent();
        });
    }

    private AclEntity entity(Exchange ex, AclEntity.Kind kind) {
        return entities.find(kind, ResourceIds.require(ex.pathParam("id"), kind.policyName()));
    }

    private static String ref(Exchange ex, AclEntity.Kind kind, AclEntity entity) {
        return ex.baseUrl() + "/v1/" + kind.collection() + "/" + entity.id() + "/acl";
    }

    /** Barbican's shape; an entity without ACL rows shows the implicit default. */
    static Map<String, Object> json(List<Acl> acls) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Acl acl : acls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("project-access", acl.projectAccess());
            m.put("users", acl.users());
            m.put("created", Timestamps.format(acl.createdAt()));
            m.put("updated", Timestamps.format(acl.updatedAt()));
            out.put(acl.operation(), m);
        }
        if (out.isEmpty()) {
            out.put("read", Map.of("project-access", true));
        }
        return out;
    }
}
