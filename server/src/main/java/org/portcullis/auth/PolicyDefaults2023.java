package org.portcullis.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The secure-RBAC rules of Barbican 16.0.0 (2023.1; 15.0.1 has the same) where they differ from
 * {@link PolicyDefaults#NEW}, and their scope types. Upstream later dropped system scope and let
 * any admin get and delete secrets ("Remove System scope from policy", "Update secret:delete
 * policy to allow admin to delete secret", May 2023), which is what {@link PolicyDefaults} holds.
 */
final class PolicyDefaults2023 {
    private PolicyDefaults2023() {}

    static final Map<String, String> ALIASES = Map.of(
            "system_reader", "role:reader and system_scope:all",
            "system_admin", "role:admin and system_scope:all");

    static final Map<String, String> NEW = new LinkedHashMap<>();
    static final Map<String, Set<String>> SCOPE_TYPES = new LinkedHashMap<>();

    private static final String ENF = "True:%(enforce_new_defaults)s and ";
    private static final Set<String> PROJECT_AND_SYSTEM = Set.of("project", "system");
    private static final Set<String> SYSTEM = Set.of("system");

    static {
        String sRead = "(rule:secret_project_admin or (rule:secret_project_member and rule:secret_owner) or "
                + "(rule:secret_project_member and rule:secret_is_not_private) or rule:secret_acl_read)";
        String sWrite = "(rule:secret_project_admin or (rule:secret_project_member and rule:secret_owner) or "
                + "(rule:secret_project_member and rule:secret_is_not_private))";
        String cRead = "(rule:system_admin or rule:container_project_admin or "
                + "(rule:container_project_member and rule:container_owner) or "
                + "(rule:container_project_member and rule:container_is_not_private) or rule:container_acl_read)";

        // secrets.py: project admins only in their own project
        NEW.put("secret:get", ENF + sRead);
        NEW.put("secret:delete", ENF + sWrite);

        // consumers.py: a system admin may manage any consumer
        NEW.put("consumer:get", ENF + cRead);
        for (String verb : new String[] {"get", "post", "delete"}) {
            NEW.put("container_consumers:" + verb, ENF + cRead);
            NEW.put("secret_consumers:" + verb, ENF + "(rule:system_admin or " + sRead.substring(1));
            SCOPE_TYPES.put("container_consumers:" + verb, PROJECT_AND_SYSTEM);
            SCOPE_TYPES.put("secret_consumers:" + verb, PROJECT_AND_SYSTEM);
        }
        SCOPE_TYPES.put("consumer:get", PROJECT_AND_SYSTEM);

        // quotas.py: other projects' quotas are the system's
        NEW.put("project_quotas:get", ENF + "rule:system_reader");
        NEW.put("project_quotas:put", ENF + "rule:system_admin");
        NEW.put("project_quotas:delete", ENF + "rule:system_admin");
        for (String rule : new String[] {"project_quotas:get", "project_quotas:put", "project_quotas:delete"}) {
            SCOPE_TYPES.put(rule, SYSTEM);
        }

        // transportkeys.py: read in either scope, managed by the system
        NEW.put("transport_key:delete", ENF + "rule:system_admin");
        NEW.put("transport_keys:post", ENF + "rule:system_admin");
        SCOPE_TYPES.put("transport_key:delete", SYSTEM);
        SCOPE_TYPES.put("transport_keys:post", SYSTEM);
        SCOPE_TYPES.put("transport_key:get", PROJECT_AND_SYSTEM);
        SCOPE_TYPES.put("transport_keys:get", PROJECT_AND_SYSTEM);

        // secretstores.py: reads in either scope; the preferred store stays a project admin's
        for (String rule : new String[] {"secretstores:get", "secretstores:get_global_default",
                "secretstores:get_preferred", "secretstore:get"}) {
            SCOPE_TYPES.put(rule, PROJECT_AND_SYSTEM);
        }
    }
}
