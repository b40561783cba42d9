package org.portcullis.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Barbican's default policy, rule by rule, as upstream ships it now: {@link #NEW} are the
 * secure-RBAC rules (project scope; master has dropped system scope), {@link #LEGACY} the
 * deprecated ones that are in force when {@code enforce_new_defaults = False}. Every new rule starts
 * with {@code True:%(enforce_new_defaults)s}, so in legacy mode only the legacy rule can pass — the
 * same effect as oslo.policy's OR of new and deprecated rules. Aliases are rules like any other, so
 * an operator's policy file can refer to them or override them.
 */
final class PolicyDefaults {
    private PolicyDefaults() {}

    static final Map<String, String> ALIASES = new LinkedHashMap<>();
    static final Map<String, String> NEW = new LinkedHashMap<>();
    static final Map<String, String> LEGACY = new LinkedHashMap<>();
    private static final Map<String, String> OPERATIONS = new LinkedHashMap<>();

    private static final String ENF = "True:%(enforce_new_defaults)s and ";

    private static void rule(String name, String operation, String secureRbac, String legacy) {
        NEW.put(name, ENF + secureRbac);
        LEGACY.put(name, legacy);
        OPERATIONS.put(name, operation);
    }

    private static void alias(String name, String check) {
        ALIASES.put(name, check);
    }

    static String operation(String rule) {
        return OPERATIONS.getOrDefault(rule, "Operation");
    }

    static {
        // ---- base.py: secure-RBAC helpers ---------------------------------------------------
        for (String kind : new String[] {"secret", "container"}) {
            alias(kind + "_project_match", "project_id:%(target." + kind + ".project_id)s");
            alias(kind + "_project_member", "role:member and rule:" + kind + "_project_match");
            alias(kind + "_project_admin", "role:admin and rule:" + kind + "_project_match");
            alias(kind + "_owner", "user_id:%(target." + kind + ".creator_id)s");
            alias(kind + "_is_not_private", "True:%(target." + kind + ".read_project_access)s");
            alias(kind + "_acl_read", "'read':%(target." + kind + ".read)s");
        }
        alias("secret_project_reader", "role:reader and rule:secret_project_match");
        alias("order_project_match", "project_id:%(target.order.project_id)s");
        alias("order_project_member", "role:member and rule:order_project_match");
        // ---- base.py: legacy helpers ---------------------------------------------------------
        alias("audit", "role:audit");
        alias("observer", "role:observer");
        alias("creator", "role:creator");
        alias("admin", "role:admin");
        alias("service_admin", "role:key-manager:service-admin");
        alias("all_users", "rule:admin or rule:observer or rule:creator or rule:audit or rule:service_admin");
        alias("all_but_audit", "rule:admin or rule:observer or rule:creator");
        alias("admin_or_creator", "rule:admin or rule:creator");
        for (String kind : new String[] {"secret", "container"}) {
            alias(kind + "_creator_user", "user_id:%(target." + kind + ".creator_id)s");
            alias(kind + "_private_read", "'False':%(target." + kind + ".read_project_access)s");
            alias(kind + "_non_private_read",
                    "rule:all_users and rule:" + kind + "_project_match and not rule:" + kind + "_private_read");
            alias(kind + "_project_creator",
                    "rule:creator and rule:" + kind + "_project_match and rule:" + kind + "_creator_user");
            alias(kind + "_project_creator_role", "rule:creator and rule:" + kind + "_project_match");
        }
        alias("secret_decrypt_non_private_read",
                "rule:all_but_audit and rule:secret_project_match and not rule:secret_private_read");

        String sRead = "(rule:secret_project_admin or (rule:secret_project_member and rule:secret_owner) or "
                + "(rule:secret_project_member and rule:secret_is_not_private) or rule:secret_acl_read)";
        String sWrite = "(rule:secret_project_admin or (rule:secret_project_member and rule:secret_owner) or "
                + "(rule:secret_project_member and rule:secret_is_not_private))";
        String cRead = "(rule:container_project_admin or (rule:container_project_member and rule:container_owner) or "
                + "(rule:container_project_member and rule:container_is_not_private) or rule:container_acl_read)";
        String cWrite = "(rule:container_project_admin or (rule:container_project_member and rule:container_owner) or "
                + "(rule:container_project_member and rule:container_is_not_private))";
        String sLegacyRead = "rule:secret_non_private_read or rule:secret_project_creator or rule:secret_project_admin "
                + "or rule:secret_acl_read";
        String sLegacyWrite = "rule:secret_project_admin or rule:secret_project_creator or "
                + "(rule:secret_project_creator_role and rule:secret_non_private_read)";
        String cLegacyRead = "rule:container_non_private_read or rule:container_project_creator or "
                + "rule:container_project_admin or rule:container_acl_read";
        String cLegacyWrite = "rule:container_project_admin or rule:container_project_creator or "
                + "(rule:container_project_creator_role and rule:container_non_private_read)";

        // ---- secrets.py, secretmeta.py ------------------------------------------------------
        rule("secrets:post", "Secret creation", "role:member", "rule:admin_or_creator");
        rule("secrets:get", "Secret(s) retrieval", "role:member", "rule:all_but_audit");
        rule("secret:get", "Secret retrieval", "(role:admin or " + sRead.substring(1), sLegacyRead);
        rule("secret:decrypt", "Secret payload retrieval", sRead,
                "rule:secret_decrypt_non_private_read or rule:secret_project_creator or rule:secret_project_admin "
                        + "or rule:secret_acl_read");
        rule("secret:put", "Secret update", sWrite, "rule:admin_or_creator and rule:secret_project_match");
        rule("secret:delete", "Secret deletion", "(role:admin or " + sWrite.substring(1),
                "rule:secret_project_admin or rule:secret_project_creator or "
                        + "(rule:secret_project_creator_role and not rule:secret_private_read)");
        rule("secret_meta:get", "Secret metadata retrieval", sRead, sLegacyRead);
        rule("secret_meta:post", "Secret metadatum creation", sWrite, sLegacyWrite);
        rule("secret_meta:put", "Secret metadata update", sWrite, sLegacyWrite);
        rule("secret_meta:delete", "Secret metadatum removal", sWrite, sLegacyWrite);

        // ---- consumers.py ---------------------------------------------------------------------
        for (String verb : new String[] {"get", "post", "delete"}) {
            String op = switch (verb) {
                case "get" -> "SecretConsumers(s) retrieval";
                case "post" -> "SecretConsumer creation";
                default -> "SecretConsumer deletion";
            };
            rule("secret_consumers:" + verb, op, sRead, sLegacyRead);
            String cop = switch (verb) {
                case "get" -> "ContainerConsumers(s) retrieval";
                case "post" -> "ContainerConsumer creation";
                default -> "ContainerConsumer deletion";
            };
            rule("container_consumers:" + verb, cop, cRead, cLegacyRead);
        }
        rule("consumer:get", "ContainerConsumer retrieval",
                "(role:admin or (rule:container_project_member and rule:container_owner) or "
                        + "(rule:container_project_member and rule:container_is_not_private) or rule:container_acl_read)",
                "rule:admin or rule:observer or rule:creator or rule:audit or " + cLegacyRead);

        // ---- containers.py ----------------------------------------------------------------------
        rule("containers:post", "Container creation", "role:member", "rule:admin_or_creator");
        rule("containers:get", "Containers(s) retrieval", "role:member", "rule:all_but_audit");
        rule("container:get", "Container retrieval", cRead, cLegacyRead);
        rule("container:delete", "Container deletion", cWrite,
                "rule:container_project_admin or rule:container_project_creator");
        rule("container_secret:post", "Container Secret creation", cWrite, cLegacyWrite);
        rule("container_secret:delete", "Container Secret deletion", cWrite, cLegacyWrite);

        // ---- acls.py (the target carries no ACL fields here) --------------------------------------
        rule("secret_acls:get", "SecretACL(s) retrieval", sWrite, "rule:all_but_audit and rule:secret_project_match");
        rule("secret_acls:put_patch", "SecretACL(s) Update", sWrite, sLegacyWrite);
        rule("secret_acls:delete", "SecretACL(s) deletion", sWrite, sLegacyWrite);
        rule("container_acls:get", "ContainerACL(s) retrieval", cWrite,
                "rule:all_but_audit and rule:container_project_match");
        rule("container_acls:put_patch", "ContainerACL(s) Update", cWrite, cLegacyWrite);
        rule("container_acls:delete", "ContainerACL(s) deletion", cWrite, cLegacyWrite);

        // ---- orders.py ----------------------------------------------------------------------------
        rule("orders:get", "Order(s) retrieval", "role:member", "rule:all_but_audit");
        rule("orders:post", "Order creation", "role:member", "rule:admin_or_creator");
        rule("orders:put", "Order update", "role:member", "rule:admin_or_creator");
        rule("order:get", "Order retrieval", "rule:order_project_member",
                "rule:all_users and project_id:%(target.order.project_id)s");
        rule("order:delete", "Order deletion", "rule:order_project_member",
                "rule:admin and project_id:%(target.order.project_id)s");

        // ---- quotas.py, transportkeys.py ------------------------------------------------------------
        rule("quotas:get", "Quotas", "role:reader", "rule:all_users");
        rule("project_quotas:get", "Project Quotas", "role:admin", "rule:service_admin");
        rule("project_quotas:put", "Project Quotas", "role:admin", "rule:service_admin");
        rule("project_quotas:delete", "Project Quotas", "role:admin", "rule:service_admin");
        rule("transport_key:get", "Transport Key retrieval", "role:reader", "rule:all_users");
        rule("transport_key:delete", "Transport Key deletion", "role:admin", "rule:service_admin");
        rule("transport_keys:get", "Transport Key(s) retrieval", "role:reader", "rule:all_users");
        rule("transport_keys:post", "Transport Key Creation", "role:admin", "rule:service_admin");

        // ---- secretstores.py ------------------------------------------------------------------------
        rule("secretstores:get", "List available secret stores", "role:reader", "rule:all_users");
        rule("secretstores:get_global_default", "Retrieve global default secret store", "role:reader", "rule:all_users");
        rule("secretstores:get_preferred", "Retrieve project preferred store", "role:reader", "rule:all_users");
        rule("secretstore:get", "Secret store retrieval", "role:reader", "rule:all_users");
        rule("secretstore_preferred:post", "Setting preferred secret store", "role:admin", "rule:admin");
        rule("secretstore_preferred:delete", "Removing preferred secret store", "role:admin", "rule:admin");

        // ---- Portcullis: the Prometheus endpoint (no Barbican equivalent) ----------------------------
        rule("metrics:get", "Metrics retrieval", "role:admin", "rule:admin");
    }
}
