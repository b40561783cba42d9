package org.portcullis.auth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.portcullis.http.ApiException;
import org.portcullis.http.Exchange;

/**
 * Barbican's unauthenticated-context pipeline: the caller names its project in
 * {@code X-Project-Id} and its roles in {@code X-Roles} (default {@code admin}). Only for
 * development and for deployments where a trusted proxy sets these headers.
 */
public final class NoAuthAuthenticator implements Authenticator {
    /** admin and the roles it implies, expanded once: immutable, so each request's context takes it as it is. */
    private static final Set<String> DEFAULT_ROLES = Set.copyOf(ImpliedRoles.expand(Set.of("admin")));

    @Override
    public RequestContext authenticate(Exchange exchange) {
        String project = trimToNull(exchange.header("X-Project-Id"));
        if (project == null) {
            throw ApiException.badRequest(
                    "The request has no X-Project-Id header; in no-auth mode every /v1 request must name its project.");
        }
        String rolesHeader = trimToNull(exchange.header("X-Roles"));
        Set<String> roles = rolesHeader == null
                ? DEFAULT_ROLES
                : Arrays.stream(rolesHeader.split(","))
                        .map(r -> r.trim().toLowerCase(java.util.Locale.ROOT))
                        .filter(r -> !r.isEmpty())
                        .collect(Collectors.toCollection(LinkedHashSet::new));
        return RequestContext.project(project, trimToNull(exchange.header("X-User-Id")),
                roles == DEFAULT_ROLES ? roles : ImpliedRoles.expand(roles),
                exchange.requestId());
    }

    private static String trimToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
