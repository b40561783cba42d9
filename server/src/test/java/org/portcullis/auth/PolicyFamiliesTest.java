package org.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each role against each operation family beyond secrets (containers, orders, quotas, transport
 * keys, secret stores, consumers), in both modes, same project unless the row says otherwise.
 * Secure RBAC rows use the roles Keystone would list (admin implies member implies reader).
 */
class PolicyFamiliesTest {
    private static final String PROJECT = "project-a";
    private final Policy legacy = Policy.create(false, Map.of());
    private final Policy secureRbac = Policy.create(true, Map.of());

    private static RequestContext ctx(String project, String roles) {
        return RequestContext.project(project, "user-1", ImpliedRoles.expand(Set.of(roles.split("\\+"))), "req");
    }

    private static PolicyTarget target(String rule, String project) {
        if (rule.startsWith("container") || rule.startsWith("consumer:")) {
            return PolicyTarget.container(project, "user-2", PolicyTarget.AclView.DEFAULT);
        }
        if (rule.startsWith("order:")) {
            return PolicyTarget.owner("order", project, "user-2");
        }
        if (rule.startsWith("secret_consumers")) {
            return PolicyTarget.secret(project, "user-2", PolicyTarget.AclView.DEFAULT);
        }
        return PolicyTarget.NONE;
    }

    @ParameterizedTest(name = "legacy {1} on {0} (project {2}): {3}")
    @CsvSource({
        "containers:post,   admin,    project-a, true",
        "containers:post,   creator,  project-a, true",
        "containers:post,   observer, project-a, false",
        "containers:get,    observer, project-a, true",
        "containers:get,    audit,    project-a, false",
        "container:get,     audit,    project-a, true",
        "container:get,     admin,    project-b, false",
        "container:delete,  creator,  project-a, false",
        "container:delete,  admin,    project-a, true",
        "container_consumers:post, observer, project-a, true",
        "container_consumers:post, observer, project-b, false",
        "secret_consumers:post, creator, project-a, true",
        "secret_consumers:post, admin, project-b, false",
        "orders:post,       creator,  project-a, true",
        "orders:post,       observer, project-a, false",
        "orders:get,        observer, project-a, true",
        "order:get,         audit,    project-a, true",
        "order:delete,      creator,  project-a, false",
        "order:delete,      admin,    project-a, true",
        "order:get,         admin,    project-b, false",
        "quotas:get,        audit,    project-a, true",
        "project_quotas:get, admin,   project-a, false",
        "project_quotas:put, key-manager:service-admin, project-a, true",
        "transport_keys:post, admin,  project-a, false",
        "transport_keys:post, key-manager:service-admin, project-a, true",
        "transport_keys:get, observer, project-a, true",
        "secretstores:get,  audit,    project-a, true",
        "secretstore_preferred:post, creator, project-a, false",
        "secretstore_preferred:post, admin, project-a, true",
    })
    void legacyRules(String rule, String roles, String project, boolean allowed) {
        assertThat(legacy.allows(ctx(project, roles), rule, target(rule, PROJECT))).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "secure RBAC {1} on {0} (project {2}): {3}")
    @CsvSource({
        "containers:post,   member,   project-a, true",
        "containers:post,   reader,   project-a, false",
        "containers:get,    member,   project-a, true",
        "container:get,     member,   project-a, true",
        "container:get,     member,   project-b, false",
        "container:get,     reader,   project-a, false",
        "container:delete,  member,   project-a, true",
        "container:delete,  admin,    project-b, false",
        "container_consumers:post, member, project-a, true",
        "secret_consumers:post, member, project-b, false",
        "orders:post,       member,   project-a, true",
        "orders:post,       reader,   project-a, false",
        "order:get,         member,   project-a, true",
        "order:get,         member,   project-b, false",
        "order:delete,      reader,   project-a, false",
        "quotas:get,        reader,   project-a, true",
        "project_quotas:get, member,  project-a, false",
        "project_quotas:put, admin,   project-a, true",
        "transport_keys:post, member, project-a, false",
        "transport_keys:post, admin,  project-a, true",
        "transport_key:get, reader,   project-a, true",
        "secretstores:get,  reader,   project-a, true",
        "secretstore_preferred:post, member, project-a, false",
        "secretstore_preferred:post, admin, project-a, true",
        "containers:post,   creator,  project-a, false",
        "orders:get,        observer, project-a, false",
    })
    void secureRbacRules(String rule, String roles, String project, boolean allowed) {
        assertThat(secureRbac.allows(ctx(project, roles), rule, target(rule, PROJECT))).isEqualTo(allowed);
    }
}
