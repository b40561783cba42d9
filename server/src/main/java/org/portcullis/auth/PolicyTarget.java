package org.portcullis.auth;

import java.util.HashMap;
import java.util.Map;

/**
 * What a policy rule is evaluated against, keyed the way Barbican's policy files name it
 * ({@code target.secret.project_id}, {@code target.container.read}, …), so an operator's
 * oslo.policy file written for Barbican means the same here.
 */
public record PolicyTarget(Map<String, String> values) {
    public static final PolicyTarget NONE = new PolicyTarget(Map.of());

    public PolicyTarget {
        values = Map.copyOf(values);
    }

    /** A secret or container: its project, creator and what its ACL grants the caller. */
    public static PolicyTarget of(String kind, String projectId, String creatorId, AclView acl) {
        Map<String, String> v = new HashMap<>();
        String prefix = "target." + kind + ".";
        v.put(prefix + "project_id", projectId);
        v.put(prefix + "creator_id", String.valueOf(creatorId)); // "None" matches a caller without user id, as in Barbican
        if (acl != null) {
            if (acl.callerMayRead()) {
                v.put(prefix + "read", "read");
            }
            v.put(prefix + "read_project_access", acl.projectAccess() ? "True" : "False");
        } else {
            v.put(prefix + "read_project_access", "True");
        }
        return new PolicyTarget(v);
    }

    public static PolicyTarget secret(String projectId, String creatorId, AclView acl) {
        return of("secret", projectId, creatorId, acl);
    }

    public static PolicyTarget container(String projectId, String creatorId, AclView acl) {
        return of("container", projectId, creatorId, acl);
    }

    /**
     * An entity's owner only, without ACL fields: what orders get, and what Barbican's ACL
     * endpoints evaluate their rules against.
     */
    public static PolicyTarget owner(String kind, String projectId, String creatorId) {
        return new PolicyTarget(Map.of("target." + kind + ".project_id", projectId,
                "target." + kind + ".creator_id", String.valueOf(creatorId)));
    }

    public String get(String key) {
        return values.get(key);
    }

    /**
     * The part of an ACL that matters to one caller: whether read was granted to them, and
     * whether the rest of the owning project may read.
     */
    public record AclView(boolean callerMayRead, boolean projectAccess) {
        public static final AclView DEFAULT = new AclView(false, true);
    }
}
