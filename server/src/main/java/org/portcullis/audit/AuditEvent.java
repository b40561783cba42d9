package org.portcullis.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One audit event before it is chained: who did what to which target, with what outcome. Holds
 * identifiers and small descriptive values only — never a payload, key or token (callers pass
 * ids, names and counts; {@link AuditTrail} adds the request's identity).
 *
 * @param outcome {@code success} or {@code failure}
 * @param reasonCode the HTTP status of a failure, or null
 * @param initiator the caller ({@code user}, {@code project}, roles, address) or the node itself
 * @param details small facts about the change (ACL users, quota values, consumer), or empty
 */
public record AuditEvent(String id, Instant time, AuditAction action, String outcome, Integer reasonCode,
        Initiator initiator, String targetTypeUri, String targetId, String targetName, String method,
        String requestPath, String requestId, Map<String, ?> details) {

    public AuditEvent {
        details = details == null ? Map.of() : details;
    }

    /**
     * @param userId Keystone user id (no-auth: {@code X-User-Id}), or null when unknown
     * @param systemScope {@code all} for a system-scoped token, else null
     */
    public record Initiator(String typeUri, String userId, String projectId, List<String> roles, String systemScope,
            String address, String agent) {}
}
