package org.portcullis.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Barbican's default policy, rule by rule: {@link #NEW} are the secure-RBAC defaults upstream
 * enforces now; {@link #LEGACY} the deprecated ones that still apply (OR-ed in) when
 * {@code enforce_new_defaults = False}. Aliases ({@code admin}, {@code secret_project_match}, …)
 * are rules like any other, so an operator's file can refer to them.
 */
final class PolicyDefaults {
    private PolicyDefaults() {}

    static final Map<String, String> NEW = new LinkedHashMap<>();
    static final Map<String, String> LEGACY = new LinkedHashMap<>();
    private static final Map<String, String> OPERATIONS = new LinkedHashMap<>();

    private static void rule(String name, String operation, String secureRbac, String legacy) {
        NEW.put(name, secureRbac);
        if (legacy != null) {
            LEGACY.put(name, legacy);
        }
        if (operation != null) {
            OPERATIONS.put(name, operation);
        }
    }

    private static void alias(String name, String check) {
        NEW.put(name, check);
    }

    static String operation(String rule) {
        return OPERATIONS.getOrDefault(rule, "Operation");
    }

    static {
        // ---- aliases: legacy roles -------------------------------------------------------
        alias("admin", "role:admin");
        alias("observer", "role:observer");
        alias("creator", "role:creator");
        alias("audit", "role:audit");
        alias("service_admin", "role:key-manager:service-admin");
        alias("admin_or_creator", "rule:admin or rule:creator");
        alias("all_but_audit", "rule:admin or rule:observer or rule:creator");
        alias("all_users", "rule:admin or rule:observer or rule:creator or rule:audit or rule:service_admin");
        // ---- aliases: secure RBAC ---------------------------------------------------------
        alias("system_admin", "role:admin and system_scope:all");
        alias("system_reader", "role:reader and system_scope:all");
        alias("project_admin", "role:admin");
        alias("project_member", "role:member");
        alias("project_reader", "role:reader");
        // ---- aliases: targets ---------------------------------------------------------------
        for (String kind : new String[] {"secret", "container"}) {
            alias(kind + "_project_match", "project_id:%(target." + kind + ".project_id)s");
            alias(kind + "_acl_read", "'read':%(target." + kind + ".read)s");
            alias(kind + "_private_read", "'False':%(target." + kind + ".read_project_access)s");
            alias(kind + "_creator_user", "user:%(target." + kind + ".creator_id)s");
            alias(kind + "_non_private_read",
                    "rule:all_users and rule:" + kind + "_project_match and not rule:" + kind + "_private_read");
            alias(kind + "_project_admin", "rule:admin and rule:" + kind + "_project_match");
            alias(kind + "_project_creator",
                    "rule:creator and rule:" + kind + "_project_match and rule:" + kind + "_creator_user");
            alias(kind + "_is_not_private", "True:%(target." + kind + ".read_project_access)s");
            alias(kind + "_owner", "user_id:%(target." + kind + ".creator_id)s");
            alias(kind + "_project_member", "role:member and rule:" + kind + "_project_match");
            alias(kind + "_project_reader", "role:reader and rule:" + kind + "_project_match");
            alias(kind + "_project_admin_new", "role:admin and rule:" + kind + "_project_match");
        }
        alias("secret_decrypt_non_private_read",
                "rule:all_but_audit and rule:secret_project_match and not rule:secret_private_read");

        // ---- secrets --------------------------------------------------------------------------
        rule("secrets:post", "Secret creation", "role:member", "rule:admin_or_creator");
        rule("secrets:get", "Secret(s) retrieval", "role:member or role:reader", "rule:all_but_audit");
        rule("secret:get", "Secret retrieval",
                "(rule:secret_project_member and rule:secret_is_not_private) or rule:secret_project_admin_new "
                        + "or (rule:secret_project_member and rule:secret_owner) or rule:secret_acl_read "
                        + "or (rule:secret_project_reader and rule:secret_is_not_private)",
                "rule:secret_non_private_read or rule:secret_project_creator or rule:secret_project_admin "
                        + "or rule:secret_acl_read");
        rule("secret:decrypt", "Secret payload retrieval",
                "(rule:secret_project_member and rule:secret_is_not_private) or rule:secret_project_admin_new "
                        + "or (rule:secret_project_member and rule:secret_owner) or rule:secret_acl_read",
                "rule:secret_decrypt_non_private_read or rule:secret_project_creator or rule:secret_project_admin "
                        + "or rule:secret_acl_read");
        rule("secret:put", "Secret update",
                "(rule:secret_project_member and rule:secret_is_not_private) or rule:secret_project_admin_new "
                        + "or (rule:secret_project_member and rule:secret_owner)",
                "rule:admin_or_creator and rule:secret_project_match");
        rule("secret:delete", "Secret deletion",
                "rule:secret_project_admin_new or (rule:secret_project_member and rule:secret_owner) "
                        + "or (rule:secret_project_member and rule:secret_is_not_private)",
                "rule:secret_project_admin or rule:secret_project_creator "
                        + "or (rule:secret_project_creator_role and not rule:secret_private_read)");
        alias("secret_project_creator_role", "rule:creator and rule:secret_project_match");
        rule("secret_meta:get", "Secret metadata retrieval",
                "rule:secret_project_member or rule:secret_project_reader or rule:secret_project_admin_new "
                        + "or rule:secret_acl_read",
                "rule:all_users and rule:secret_project_match");
        for (String verb : new String[] {"post", "put", "delete"}) {
            rule("secret_meta:" + verb, "Secret metadata update",
                    "rule:secret_project_member or rule:secret_project_admin_new",
                    "rule:admin_or_creator and rule:secret_project_match");
        }

        // ---- secret stores --------------------------------------------------------------------
        rule("secretstores:get", "List available secret stores", "role:reader or role:member or role:admin", "rule:all_users");
        rule("secretstores:get_global_default", "Retrieve global default secret store",
                "role:reader or role:member or role:admin", "rule:all_users");
        rule("secretstores:get_preferred", "Retrieve project preferred store",
                "role:reader or role:member or role:admin", "rule:all_users");
        rule("secretstore:get", "Secret store retrieval", "role:reader or role:member or role:admin", "rule:all_users");
        rule("secretstore_preferred:post", "Setting preferred secret store", "role:admin", "rule:admin");
        rule("secretstore_preferred:delete", "Removing preferred secret store", "role:admin", "rule:admin");
    }
}
