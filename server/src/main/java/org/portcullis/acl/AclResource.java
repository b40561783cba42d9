package org.portcullis.acl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.audit.AuditTrail;
import org.portcullis.http.Exchange;
import org.portcullis.http.ResourceIds;
import org.portcullis.http.Router;
import org.portcullis.http.Timestamps;

/** {@code /v1/secrets/{id}/acl} and {@code /v1/containers/{id}/acl}. */
public final class AclResource {
    private final AclService service;
    private final AclEntities entities;
    private final AuditTrail audit;

    public AclResource(AclService service, AclEntities entities, AuditTrail audit) {
        this.service = service;
        this.audit = audit;
        this.entities = entities;
    }

    public void register(Router r, AclEntity.Kind kind) {
        String path = "/v1/" + kind.collection() + "/{id}/acl";
        r.get(path, ex -> ex.json(200, json(service.get(ex.context(), entity(ex, kind)))));
        r.put(path, ex -> {
            AclEntity entity = entity(ex, kind);
            service.authorize(ex.context(), entity, "put_patch");
            Map<String, AclRequests.Change> acl = AclRequests.parse(ex.jsonBody());
            service.replace(entity, acl);
            audit.record(ex, AuditAction.UPDATE, AuditTarget.acl(kind.collection()), entity.id(), details("replace", acl));
            ex.json(200, Map.of("acl_ref", ref(ex, kind, entity)));
        });
        r.patch(path, ex -> {
            AclEntity entity = entity(ex, kind);
            service.authorize(ex.context(), entity, "put_patch");
            Map<String, AclRequests.Change> acl = AclRequests.parse(ex.jsonBody());
            service.patch(entity, acl);
            audit.record(ex, AuditAction.UPDATE, AuditTarget.acl(kind.collection()), entity.id(), details("patch", acl));
            ex.json(200, Map.of("acl_ref", ref(ex, kind, entity)));
        });
        r.delete(path, ex -> {
            AclEntity entity = entity(ex, kind);
            service.authorize(ex.context(), entity, "delete");
            service.delete(entity);
            audit.record(ex, AuditAction.DELETE, AuditTarget.acl(kind.collection()), entity.id());
            // Barbican's handler returns nothing through a JSON template: 200 with the body null
            ex.json(200, null);
        });
    }

    private AclEntity entity(Exchange ex, AclEntity.Kind kind) {
        return entities.find(kind, ResourceIds.require(ex.pathParam("id"), kind.policyName()));
    }

    /** The ACL as requested, for the audit event: who was granted what. */
    private static Map<String, Object> details(String mode, Map<String, AclRequests.Change> acl) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mode", mode);
        acl.forEach((operation, change) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            if (change.projectAccess() != null) {
                c.put("project-access", change.projectAccess());
            }
            if (change.users() != null) {
                c.put("users", List.copyOf(change.users()));
            }
            d.put(operation, c);
        });
        return d;
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
