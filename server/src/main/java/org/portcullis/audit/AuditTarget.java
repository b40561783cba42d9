package org.portcullis.audit;

import java.util.List;

/**
 * What an event acted on, as a CADF target type: {@code service/security/keymanager/} followed by
 * the API's collection and, for a sub-resource, its name ({@code secrets/payload},
 * {@code containers/acl}); the target id is the id in the path (secret, container, project…).
 */
public enum AuditTarget {
    SECRET("secrets"),
    SECRET_PAYLOAD("secrets/payload"),
    SECRET_METADATA("secrets/metadata"),
    SECRET_CONSUMERS("secrets/consumers"),
    SECRET_ACL("secrets/acl"),
    CONTAINER("containers"),
    CONTAINER_CONSUMERS("containers/consumers"),
    CONTAINER_SECRETS("containers/secrets"),
    CONTAINER_ACL("containers/acl"),
    ORDER("orders"),
    PROJECT_QUOTAS("project-quotas"),
    PREFERRED_STORE("secret-stores/preferred"),
    TRANSPORT_KEY("transport_keys"),
    /** A project KEK of a store (re-wrapped or replaced by {@code manage kek rotate}). */
    PROJECT_KEK("secret-stores/project-keks"),
    /** The audit trail itself (start and rotation events). */
    AUDIT_TRAIL("audit");

    public static final String PREFIX = "service/security/keymanager/";

    private final String path;

    AuditTarget(String path) {
        this.path = path;
    }

    public String typeUri() {
        return PREFIX + path;
    }

    /** An ACL target of the collection an {@code /v1/{collection}/{id}/acl} path names. */
    public static AuditTarget acl(String collection) {
        return collection.equals("containers") ? CONTAINER_ACL : SECRET_ACL;
    }

    /**
     * The type of a denied request's target, from its path ({@code /v1/secrets/ID/payload} ->
     * {@code .../secrets/payload}): collection, then the sub-resource name if there is one.
     */
    static String typeUriOfPath(List<String> segments) {
        int start = !segments.isEmpty() && segments.get(0).equals("v1") ? 1 : 0;
        if (segments.size() <= start) {
            return PREFIX.substring(0, PREFIX.length() - 1);
        }
        String type = segments.get(start);
        if (segments.size() > start + 2) {
            type += "/" + segments.get(start + 2);
        }
        return PREFIX + type;
    }

    /** The id in a denied request's path (the segment after the collection), or null. */
    static String idOfPath(List<String> segments) {
        int start = !segments.isEmpty() && segments.get(0).equals("v1") ? 1 : 0;
        return segments.size() > start + 1 ? segments.get(start + 1) : null;
    }
}
