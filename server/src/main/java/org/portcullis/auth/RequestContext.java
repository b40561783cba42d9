package org.portcullis.auth;

import java.util.Set;

/**
 * Who is asking: the project the request is scoped to, the user, and the roles the auth layer
 * vouched for. Everything below the HTTP layer takes its identity from here, never from headers.
 */
public record RequestContext(String projectId, String userId, Set<String> roles, String systemScope,
        String requestId) {
    public RequestContext {
        roles = Set.copyOf(roles);
    }

    /** A project-scoped caller (what no-auth and project tokens give). */
    public static RequestContext project(String projectId, String userId, Set<String> roles, String requestId) {
        return new RequestContext(projectId, userId, roles, null, requestId);
    }

    /** A system-scoped caller ({@code "system": {"all": true}} in the token): no project. */
    public static RequestContext system(String userId, Set<String> roles, String requestId) {
        return new RequestContext(null, userId, roles, "all", requestId);
    }

    public boolean systemScoped() {
        return systemScope != null;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
