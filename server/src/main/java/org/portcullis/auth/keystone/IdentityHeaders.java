package org.portcullis.auth.keystone;

import java.util.Locale;
import java.util.Set;

/**
 * The request headers keystonemiddleware's auth_token sets for the service behind it. A client
 * that sends them itself is trying to choose its own identity, so they are stripped from every
 * request before the token is looked at (the same list keystonemiddleware removes).
 */
public final class IdentityHeaders {
    private static final Set<String> NAMES = Set.of(
            "x-identity-status", "x-domain-id", "x-domain-name", "x-project-id", "x-project-name",
            "x-project-domain-id", "x-project-domain-name", "x-user-id", "x-user-name", "x-user-domain-id",
            "x-user-domain-name", "x-roles", "x-is-admin-project", "x-service-catalog", "openstack-system-scope",
            // pre-v3 names keystonemiddleware still removes
            "x-tenant-id", "x-tenant-name", "x-tenant", "x-user", "x-role");

    private IdentityHeaders() {}

    /**
     * True for a header only the auth layer may set: the names above and their
     * {@code X-Service-*} twins, but not {@code X-Service-Token}, which is a credential.
     */
    public static boolean isIdentityHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (NAMES.contains(n)) {
            return true;
        }
        return n.startsWith("x-service-") && !n.equals("x-service-token");
    }
}
