package org.portcullis.auth;

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
        Keys keys = switch (kind) {
            case "secret" -> SECRET;
            case "container" -> CONTAINER;
            default -> new Keys(kind);
        };
        return of(keys, projectId, creatorId, acl);
    }

    private static PolicyTarget of(Keys k, String projectId, String creatorId, AclView acl) {
        String creator = String.valueOf(creatorId); // "None" matches a caller without user id, as in Barbican
        if (acl == null) {
            return new PolicyTarget(Map.of(k.projectId, projectId, k.creatorId, creator, k.readProjectAccess, "True"));
        }
        String projectAccess = acl.projectAccess() ? "True" : "False";
        return new PolicyTarget(acl.callerMayRead()
                ? Map.of(k.projectId, projectId, k.creatorId, creator, k.read, "read", k.readProjectAccess, projectAccess)
                : Map.of(k.projectId, projectId, k.creatorId, creator, k.readProjectAccess, projectAccess));
    }

    public static PolicyTarget secret(String projectId, String creatorId, AclView acl) {
        return of(SECRET, projectId, creatorId, acl);
    }

    public static PolicyTarget container(String projectId, String creatorId, AclView acl) {
        return of(CONTAINER, projectId, creatorId, acl);
    }

    /** A kind's field names, made once: every request on a secret builds its target. */
    private record Keys(String projectId, String creatorId, String read, String readProjectAccess) {
        Keys(String kind) {
            this("target." + kind + ".project_id", "target." + kind + ".creator_id", "target." + kind + ".read",
                    "target." + kind + ".read_project_access");
        }
    }

    private static final Keys SECRET = new Keys("secret");
    private static final Keys CONTAINER = new Keys("container");

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
