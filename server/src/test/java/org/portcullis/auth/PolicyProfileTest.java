package org.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.portcullis.auth.PolicyTarget.AclView;

/**
 * The two default profiles where they differ: upstream's current rules, and Barbican 15/16's
 * (2023.1) with system scope. Rule texts are checked against barbican/common/policies/*.py at
 * tag 16.0.0 (identical in 15.0.1, which Debian bookworm ships).
 */
class PolicyProfileTest {
    private static final PolicyTarget SECRET_OF_A = PolicyTarget.secret("project-a", "alice", AclView.DEFAULT);
    private static final PolicyTarget CONTAINER_OF_A = PolicyTarget.container("project-a", "alice", AclView.DEFAULT);

    private final Policy current = Policy.create(PolicyProfile.CURRENT, true, true, Map.of());
    private final Policy release2023 = Policy.create(PolicyProfile.RELEASE_2023_1, true, true, Map.of());

    private static RequestContext project(String project, String... roles) {
        return RequestContext.project(project, "user-" + project, ImpliedRoles.expand(Set.of(roles)), "req");
    }

    private static RequestContext system(String... roles) {
        return RequestContext.system("cloud-admin", ImpliedRoles.expand(Set.of(roles)), "req");
    }

    @Test
    void currentRulesLetAnyProjectsAdminReadTheMetadataOfAndDeleteAnyProjectsSecret() {
        RequestContext adminOfB = project("project-b", "admin");
        assertThat(current.allows(adminOfB, "secret:get", SECRET_OF_A)).isTrue();
        assertThat(current.allows(adminOfB, "secret:delete", SECRET_OF_A)).isTrue();
        // but not the payload, nor a change
        assertThat(current.allows(adminOfB, "secret:decrypt", SECRET_OF_A)).isFalse();
        assertThat(current.allows(adminOfB, "secret:put", SECRET_OF_A)).isFalse();
        assertThat(current.allows(adminOfB, "consumer:get", CONTAINER_OF_A)).isTrue();
    }

    @Test
    void release2023ConfinesProjectAdminsToTheirOwnProject() {
        RequestContext adminOfB = project("project-b", "admin");
        for (String rule : List.of("secret:get", "secret:delete", "secret:decrypt", "secret:put")) {
            assertThat(release2023.allows(adminOfB, rule, SECRET_OF_A)).as(rule).isFalse();
            assertThat(release2023.allows(project("project-a", "admin"), rule, SECRET_OF_A)).as(rule).isTrue();
        }
        assertThat(release2023.allows(adminOfB, "consumer:get", CONTAINER_OF_A)).isFalse();
    }

    @Test
    void release2023GivesProjectQuotasAndTransportKeyManagementToTheSystemAdmin() {
        RequestContext systemAdmin = system("admin");
        RequestContext projectAdmin = project("project-a", "admin");
        for (String rule : List.of("project_quotas:get", "project_quotas:put", "project_quotas:delete",
                "transport_keys:post", "transport_key:delete")) {
            assertThat(release2023.allows(systemAdmin, rule, PolicyTarget.NONE)).as(rule).isTrue();
            assertThat(release2023.allows(projectAdmin, rule, PolicyTarget.NONE)).as(rule).isFalse();
            assertThat(current.allows(projectAdmin, rule, PolicyTarget.NONE)).as(rule).isTrue();
            assertThat(current.allows(systemAdmin, rule, PolicyTarget.NONE)).as(rule).isFalse();
        }
        RequestContext systemReader = system("reader");
        assertThat(release2023.allows(systemReader, "project_quotas:get", PolicyTarget.NONE)).isTrue();
        assertThat(release2023.allows(systemReader, "project_quotas:put", PolicyTarget.NONE)).isFalse();
    }

    @Test
    void release2023SystemAdminManagesConsumersAndReadsStoresAndTransportKeys() {
        RequestContext systemAdmin = system("admin");
        for (String verb : List.of("get", "post", "delete")) {
            assertThat(release2023.allows(systemAdmin, "secret_consumers:" + verb, SECRET_OF_A)).isTrue();
            assertThat(release2023.allows(systemAdmin, "container_consumers:" + verb, CONTAINER_OF_A)).isTrue();
        }
        assertThat(release2023.allows(systemAdmin, "consumer:get", CONTAINER_OF_A)).isTrue();
        for (String rule : List.of("secretstores:get", "secretstores:get_global_default", "secretstores:get_preferred",
                "secretstore:get", "transport_keys:get", "transport_key:get")) {
            assertThat(release2023.allows(system("reader"), rule, PolicyTarget.NONE)).as(rule).isTrue();
        }
    }

    @Test
    void aSystemScopedTokenPassesNoRuleThatIsNotForSystemScopeEvenWithTheRightRole() {
        RequestContext systemAdmin = system("admin");
        for (String rule : List.of("secrets:post", "secrets:get", "containers:post", "orders:post",
                "secretstore_preferred:post", "quotas:get")) {
            assertThat(release2023.allows(systemAdmin, rule, PolicyTarget.NONE)).as(rule).isFalse();
            assertThat(current.allows(systemAdmin, rule, PolicyTarget.NONE)).as(rule).isFalse();
        }
        assertThat(release2023.allows(systemAdmin, "secret:get", SECRET_OF_A)).isFalse();
        assertThat(release2023.allows(systemAdmin, "secret:delete", SECRET_OF_A)).isFalse();
        // with enforce_scope off too: a system token has no project to act in
        Policy unscoped = Policy.create(PolicyProfile.RELEASE_2023_1, true, false, Map.of("secrets:post", "role:admin"));
        assertThat(unscoped.allows(systemAdmin, "secrets:post", PolicyTarget.NONE)).isFalse();
    }

    @Test
    void enforceScopeDecidesWhetherAProjectTokenMayReachASystemOnlyRule() {
        Map<String, String> opened = Map.of("project_quotas:get", "role:admin");
        RequestContext projectAdmin = project("project-a", "admin");
        assertThat(Policy.create(PolicyProfile.RELEASE_2023_1, true, true, opened)
                .allows(projectAdmin, "project_quotas:get", PolicyTarget.NONE)).isFalse();
        assertThat(Policy.create(PolicyProfile.RELEASE_2023_1, true, false, opened)
                .allows(projectAdmin, "project_quotas:get", PolicyTarget.NONE)).isTrue();
    }

    @Test
    void legacyRulesAreTheSameInBothProfiles() {
        Policy legacy2023 = Policy.create(PolicyProfile.RELEASE_2023_1, false, true, Map.of());
        Policy legacyCurrent = Policy.create(PolicyProfile.CURRENT, false, true, Map.of());
        RequestContext serviceAdmin = project("project-a", "key-manager:service-admin");
        assertThat(legacy2023.allows(serviceAdmin, "project_quotas:put", PolicyTarget.NONE)).isTrue();
        assertThat(legacyCurrent.allows(serviceAdmin, "project_quotas:put", PolicyTarget.NONE)).isTrue();
        assertThat(legacy2023.allows(project("project-b", "admin"), "secret:get", SECRET_OF_A)).isFalse();
    }

    @Test
    void ruleTextsAreBarbican16s() {
        String enf = "True:%(enforce_new_defaults)s and ";
        Map<String, String> rules = PolicyProfile.RELEASE_2023_1.secureRbacRules();
        assertThat(rules.get("secret:get")).isEqualTo(enf + "(rule:secret_project_admin or "
                + "(rule:secret_project_member and rule:secret_owner) or "
                + "(rule:secret_project_member and rule:secret_is_not_private) or rule:secret_acl_read)");
        assertThat(rules.get("secret:delete")).isEqualTo(enf + "(rule:secret_project_admin or "
                + "(rule:secret_project_member and rule:secret_owner) or "
                + "(rule:secret_project_member and rule:secret_is_not_private))");
        assertThat(rules.get("consumer:get")).isEqualTo(enf + "(rule:system_admin or rule:container_project_admin or "
                + "(rule:container_project_member and rule:container_owner) or "
                + "(rule:container_project_member and rule:container_is_not_private) or rule:container_acl_read)");
        assertThat(rules.get("secret_consumers:post")).isEqualTo(enf + "(rule:system_admin or "
                + "rule:secret_project_admin or (rule:secret_project_member and rule:secret_owner) or "
                + "(rule:secret_project_member and rule:secret_is_not_private) or rule:secret_acl_read)");
        assertThat(rules.get("project_quotas:get")).isEqualTo(enf + "rule:system_reader");
        assertThat(rules.get("transport_keys:post")).isEqualTo(enf + "rule:system_admin");
        assertThat(PolicyProfile.RELEASE_2023_1.aliases()).containsEntry("system_admin", "role:admin and system_scope:all")
                .containsEntry("system_reader", "role:reader and system_scope:all");
        // everything else is as upstream ships it now
        PolicyProfile.CURRENT.secureRbacRules().forEach((name, check) -> {
            if (!PolicyDefaults2023.NEW.containsKey(name)) {
                assertThat(rules.get(name)).as(name).isEqualTo(check);
            }
        });
        assertThat(PolicyProfile.RELEASE_2023_1.scopeTypes("project_quotas:put")).containsExactly("system");
        assertThat(PolicyProfile.RELEASE_2023_1.scopeTypes("secret:get")).containsExactly("project");
        assertThat(PolicyProfile.CURRENT.scopeTypes("project_quotas:put")).containsExactly("project");
    }
}
