package org.portcullis.auth;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Keystone's default role inference: admin implies member, member implies reader. Keystone
 * expands tokens this way; no-auth headers are expanded here so secure-RBAC rules see the same
 * roles for the same caller.
 */
public final class ImpliedRoles {
    private ImpliedRoles() {}

    public static Set<String> expand(Set<String> roles) {
        Set<String> out = new LinkedHashSet<>(roles);
        if (out.contains("admin")) {
            out.add("member");
        }
        if (out.contains("member")) {
            out.add("reader");
        }
        return out;
    }
}
