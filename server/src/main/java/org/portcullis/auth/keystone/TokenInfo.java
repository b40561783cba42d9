package org.portcullis.auth.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * What Portcullis reads from a Keystone v3 {@code token} object: who, in which scope, with which
 * roles (Keystone has already expanded implied roles), and until when.
 *
 * @param projectId null unless the token is project-scoped
 * @param domainId null unless the token is domain-scoped
 * @param systemAll true for a system-scoped token ({@code "system": {"all": true}})
 */
public record TokenInfo(String userId, String userName, String userDomainId, String userDomainName,
        String projectId, String projectName, String projectDomainId, String projectDomainName, String domainId,
        String domainName, boolean systemAll, List<String> roles, Instant expiresAt, boolean isAdminProject) {

    public TokenInfo {
        roles = List.copyOf(roles);
    }

    /** The scope Barbican distinguishes: project, system, domain, or none at all. */
    public enum Scope { PROJECT, SYSTEM, DOMAIN, UNSCOPED }

    public Scope scope() {
        if (projectId != null) {
            return Scope.PROJECT;
        }
        if (systemAll) {
            return Scope.SYSTEM;
        }
        return domainId != null ? Scope.DOMAIN : Scope.UNSCOPED;
    }

    /**
     * Parses the {@code token} member of Keystone's answer to {@code GET /v3/auth/tokens} or
     * {@code POST /v3/auth/tokens}.
     *
     * @throws IllegalArgumentException when a member Portcullis relies on is missing or malformed
     */
    public static TokenInfo parse(JsonNode token) {
        if (token == null || !token.isObject()) {
            throw new IllegalArgumentException("no token object");
        }
        JsonNode user = token.path("user");
        String userId = text(user, "id");
        if (userId == null) {
            throw new IllegalArgumentException("token has no user.id");
        }
        String expires = text(token, "expires_at");
        if (expires == null) {
            throw new IllegalArgumentException("token has no expires_at");
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(expires);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("token expires_at is not a timestamp: " + expires);
        }
        List<String> roles = new ArrayList<>();
        for (JsonNode role : token.path("roles")) {
            String name = text(role, "name");
            if (name != null) {
                roles.add(name);
            }
        }
        JsonNode project = token.path("project");
        JsonNode domain = token.path("domain");
        JsonNode system = token.path("system");
        // Keystone omits is_admin_project unless an admin project is configured; absent means true
        // in keystonemiddleware (X-Is-Admin-Project: True).
        boolean adminProject = !token.has("is_admin_project") || token.path("is_admin_project").asBoolean(true);
        return new TokenInfo(userId, text(user, "name"), text(user.path("domain"), "id"),
                text(user.path("domain"), "name"), text(project, "id"), text(project, "name"),
                text(project.path("domain"), "id"), text(project.path("domain"), "name"), text(domain, "id"),
                text(domain, "name"), system.path("all").asBoolean(false), roles, expiresAt, adminProject);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
    }
}
