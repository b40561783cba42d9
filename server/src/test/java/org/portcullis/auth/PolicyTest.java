package org.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.portcullis.auth.PolicyTarget.AclView;
import org.portcullis.http.ApiException;

/**
 * The default rules, checked against Barbican 15 (Debian bookworm) policy: the legacy roles with
 * {@code enforce_new_defaults = False}, and secure RBAC otherwise.
 */
class PolicyTest {
    private static final String PROJECT = "project-a";
    private static final String OTHER_PROJECT = "project-b";
    private static final String USER = "user-1";
    private static final String COLLEAGUE = "user-2";

    private static final PolicyTarget OWN = PolicyTarget.secret(PROJECT, USER, null);
    private static final PolicyTarget COLLEAGUES = PolicyTarget.secret(PROJECT, COLLEAGUE, AclView.DEFAULT);
    private static final PolicyTarget COLLEAGUES_PRIVATE = PolicyTarget.secret(PROJECT, COLLEAGUE, new AclView(false, false));
    private static final PolicyTarget OWN_PRIVATE = PolicyTarget.secret(PROJECT, USER, new AclView(false, false));
    private static final PolicyTarget FOREIGN = PolicyTarget.secret(OTHER_PROJECT, USER, null);
    private static final PolicyTarget FOREIGN_SHARED_WITH_ME = PolicyTarget.secret(OTHER_PROJECT, "x", new AclView(true, false));

    private static final List<String> SECRET_RULES = List.of("secret:get", "secret:decrypt", "secret:put",
            "secret:delete", "secret_meta:get", "secret_meta:post", "secret_meta:put", "secret_meta:delete");

    private final Policy legacy = Policy.create(false, Map.of());
    private final Policy secureRbac = Policy.create(true, Map.of());

    private static RequestContext ctx(String... roles) {
        return RequestContext.project(PROJECT, USER, Set.of(roles), "req-1");
    }

    // ---- legacy roles (enforce_new_defaults = False) ------------------------------------------

    @Test
    void legacyAdminMayDoEverythingInItsProject() {
        RequestContext admin = ctx("admin");
        for (String rule : SECRET_RULES) {
            assertThat(legacy.allows(admin, rule, COLLEAGUES_PRIVATE)).as(rule).isTrue();
        }
        assertThat(legacy.allows(admin, "secrets:get", PolicyTarget.NONE)).isTrue();
        assertThat(legacy.allows(admin, "secrets:post", PolicyTarget.NONE)).isTrue();
        assertThat(legacy.allows(admin, "secretstore_preferred:post", PolicyTarget.NONE)).isTrue();
        assertThat(legacy.allows(admin, "secretstore_preferred:delete", PolicyTarget.NONE)).isTrue();
    }

    @Test
    void legacyCreatorReadsWritesAndCreates() {
        RequestContext creator = ctx("creator");
        assertThat(legacy.allows(creator, "secrets:post", PolicyTarget.NONE)).isTrue();
        assertThat(legacy.allows(creator, "secrets:get", PolicyTarget.NONE)).isTrue();
        assertThat(legacy.allows(creator, "secret:get", COLLEAGUES)).isTrue();
        assertThat(legacy.allows(creator, "secret:decrypt", COLLEAGUES)).isTrue();
        assertThat(legacy.allows(creator, "secret:put", COLLEAGUES)).isTrue();
        assertThat(legacy.allows(creator, "secretstore_preferred:post", PolicyTarget.NONE)).isFalse();
    }

    @Test
    void legacyCreatorDeletesOwnSecretsAndColleaguesNonPrivateOnes() {
        RequestContext creator = ctx("creator");
        assertThat(legacy.allows(creator, "secret:delete", OWN)).isTrue();
        assertThat(legacy.allows(creator, "secret:delete", OWN_PRIVATE)).isTrue();
        // upstream: (rule:secret_project_creator_role and not rule:secret_private_read)
        assertThat(legacy.allows(creator, "secret:delete", COLLEAGUES)).isTrue();
        assertThat(legacy.allows(creator, "secret:delete", COLLEAGUES_PRIVATE)).isFalse();
    }

    @Test
    void legacyCreatorCannotReadAColleaguesPrivateSecret() {
        RequestContext creator = ctx("creator");
        assertThat(legacy.allows(creator, "secret:get", COLLEAGUES_PRIVATE)).isFalse();
        assertThat(legacy.allows(creator, "secret:decrypt", COLLEAGUES_PRIVATE)).isFalse();
        assertThat(legacy.allows(creator, "secret:get", OWN_PRIVATE)).isTrue();
        assertThat(legacy.allows(creator, "secret:decrypt", OWN_PRIVATE)).isTrue();
    }

    @Test
    void legacyObserverReadsAndDecryptsButNeverChanges() {
        RequestContext observer = ctx("observer");
        assertThat(legacy.allows(observer, "secrets:get", PolicyTarget.NONE)).isTrue();
        assertThat(legacy.allows(observer, "secret:get", COLLEAGUES)).isTrue();
        assertThat(legacy.allows(observer, "secret:decrypt", COLLEAGUES)).isTrue();
        assertThat(legacy.allows(observer, "secret_meta:get", COLLEAGUES)).isTrue();

        assertThat(legacy.allows(observer, "secrets:post", PolicyTarget.NONE)).isFalse();
        assertThat(legacy.allows(observer, "secret:put", OWN)).isFalse();
        assertThat(legacy.allows(observer, "secret:delete", OWN)).isFalse();
        assertThat(legacy.allows(observer, "secret_meta:put", OWN)).isFalse();
        assertThat(legacy.allows(observer, "secret:get", COLLEAGUES_PRIVATE)).isFalse();
    }

    @Test
    void legacyAuditSeesMetadataButNeverDecrypts() {
        RequestContext audit = ctx("audit");
        assertThat(legacy.allows(audit, "secret:get", OWN)).isTrue();
        assertThat(legacy.allows(audit, "secret_meta:get", OWN)).isTrue();

        assertThat(legacy.allows(audit, "secret:decrypt", OWN)).isFalse();
        assertThat(legacy.allows(audit, "secret:put", OWN)).isFalse();
        assertThat(legacy.allows(audit, "secret:delete", OWN)).isFalse();
        assertThat(legacy.allows(audit, "secrets:post", PolicyTarget.NONE)).isFalse();
        assertThat(legacy.allows(audit, "secrets:get", PolicyTarget.NONE)).isFalse();
    }

    @Test
    void legacyCrossProjectAccessIsDenied() {
        for (String role : List.of("admin", "creator", "observer", "audit", "key-manager:service-admin")) {
            for (String rule : SECRET_RULES) {
                assertThat(legacy.allows(ctx(role), rule, FOREIGN)).as(role + " " + rule).isFalse();
            }
        }
        RequestContext everything = ctx("admin", "creator", "observer", "audit", "key-manager:service-admin");
        for (String rule : SECRET_RULES) {
            assertThat(legacy.allows(everything, rule, FOREIGN)).as(rule).isFalse();
        }
    }

    @Test
    void aclReadGrantCrossesProjectsForReadingOnly() {
        RequestContext observer = ctx("observer");
        assertThat(legacy.allows(observer, "secret:get", FOREIGN_SHARED_WITH_ME)).isTrue();
        assertThat(legacy.allows(observer, "secret:decrypt", FOREIGN_SHARED_WITH_ME)).isTrue();
        assertThat(legacy.allows(observer, "secret:put", FOREIGN_SHARED_WITH_ME)).isFalse();
        assertThat(legacy.allows(ctx("admin"), "secret:delete", FOREIGN_SHARED_WITH_ME)).isFalse();
    }

    @Test
    void legacyStoresAreReadableByEveryLegacyRole() {
        for (String role : List.of("admin", "creator", "observer", "audit", "key-manager:service-admin")) {
            assertThat(legacy.allows(ctx(role), "secretstores:get", PolicyTarget.NONE)).as(role).isTrue();
            assertThat(legacy.allows(ctx(role), "secretstore:get", PolicyTarget.NONE)).as(role).isTrue();
        }
        assertThat(legacy.allows(ctx("key-manager:service-admin"), "secretstore_preferred:post", PolicyTarget.NONE))
                .isFalse();
    }

    @Test
    void noRoleMeansNoAccess() {
        for (String rule : SECRET_RULES) {
            assertThat(legacy.allows(ctx(), rule, OWN)).as(rule).isFalse();
            assertThat(secureRbac.allows(ctx(), rule, OWN)).as(rule).isFalse();
        }
        assertThat(legacy.allows(ctx(), "secrets:post", PolicyTarget.NONE)).isFalse();
    }

    @Test
    void legacyModeIgnoresSecureRbacRoles() {
        RequestContext member = ctx("member", "reader");
        assertThat(legacy.allows(member, "secrets:post", PolicyTarget.NONE)).isFalse();
        assertThat(legacy.allows(member, "secrets:get", PolicyTarget.NONE)).isFalse();
        assertThat(legacy.allows(member, "secret:decrypt", OWN)).isFalse();
        assertThat(legacy.allows(member, "secret:delete", COLLEAGUES)).isFalse();
    }

    // ---- secure RBAC (the default) -----------------------------------------------------------

    @Test
    void memberOwnsTheProjectsNonPrivateSecrets() {
        RequestContext member = ctx("member", "reader");
        assertThat(secureRbac.allows(member, "secrets:post", PolicyTarget.NONE)).isTrue();
        assertThat(secureRbac.allows(member, "secrets:get", PolicyTarget.NONE)).isTrue();
        for (String rule : SECRET_RULES) {
            assertThat(secureRbac.allows(member, rule, COLLEAGUES)).as(rule).isTrue();
            assertThat(secureRbac.allows(member, rule, OWN_PRIVATE)).as(rule).isTrue();
            assertThat(secureRbac.allows(member, rule, FOREIGN)).as(rule).isFalse();
        }
        assertThat(secureRbac.allows(member, "secret:decrypt", COLLEAGUES_PRIVATE)).isFalse();
        assertThat(secureRbac.allows(member, "secret:delete", COLLEAGUES_PRIVATE)).isFalse();
        assertThat(secureRbac.allows(member, "secretstore_preferred:post", PolicyTarget.NONE)).isFalse();
    }

    @Test
    void readerMayNotDecryptOrChange() {
        RequestContext reader = ctx("reader");
        assertThat(secureRbac.allows(reader, "secret:decrypt", COLLEAGUES)).isFalse();
        assertThat(secureRbac.allows(reader, "secret:put", COLLEAGUES)).isFalse();
        assertThat(secureRbac.allows(reader, "secret:delete", OWN)).isFalse();
        assertThat(secureRbac.allows(reader, "secrets:post", PolicyTarget.NONE)).isFalse();
        assertThat(secureRbac.allows(reader, "secretstores:get", PolicyTarget.NONE)).isTrue();
    }

    @Test
    void secureRbacIgnoresLegacyRoles() {
        for (String role : List.of("creator", "observer", "audit", "key-manager:service-admin")) {
            assertThat(secureRbac.allows(ctx(role), "secrets:post", PolicyTarget.NONE)).as(role).isFalse();
            assertThat(secureRbac.allows(ctx(role), "secret:decrypt", OWN)).as(role).isFalse();
        }
    }

    @Test
    void secureRbacAdminDecryptsAndChangesOnlyInItsProject() {
        RequestContext admin = ctx("admin", "member", "reader");
        assertThat(secureRbac.allows(admin, "secret:decrypt", COLLEAGUES_PRIVATE)).isTrue();
        assertThat(secureRbac.allows(admin, "secret:delete", COLLEAGUES_PRIVATE)).isTrue();
        assertThat(secureRbac.allows(admin, "secret:decrypt", FOREIGN)).isFalse();
        assertThat(secureRbac.allows(admin, "secret:put", FOREIGN)).isFalse();
        assertThat(secureRbac.allows(admin, "secret_meta:get", FOREIGN)).isFalse();
        assertThat(secureRbac.allows(admin, "secretstore_preferred:post", PolicyTarget.NONE)).isTrue();
    }

    @Test
    void secureRbacAdminOfAnyProjectMayGetAndDeleteAsUpstreamMasterDoes() {
        // upstream master: secret:get and secret:delete start with a bare "role:admin"
        RequestContext admin = ctx("admin", "member", "reader");
        assertThat(secureRbac.allows(admin, "secret:get", FOREIGN)).isTrue();
        assertThat(secureRbac.allows(admin, "secret:delete", FOREIGN)).isTrue();
    }

    @Test
    void roleNamesAreCaseInsensitive() {
        assertThat(legacy.allows(ctx("Admin"), "secret:get", OWN)).isTrue();
        assertThat(secureRbac.allows(ctx("MEMBER"), "secrets:post", PolicyTarget.NONE)).isTrue();
    }

    // ---- rules, overrides, enforcement ------------------------------------------------------

    @Test
    void unknownRuleDeniesEveryone() {
        assertThat(legacy.allows(ctx("admin"), "secrets:frobnicate", PolicyTarget.NONE)).isFalse();
    }

    @Test
    void overrideReplacesARuleByName() {
        Policy p = Policy.create(true, Map.of("secrets:post", "role:creator or role:member and not role:reader"));
        assertThat(p.allows(ctx("creator"), "secrets:post", PolicyTarget.NONE)).isTrue();
        assertThat(p.allows(ctx("member"), "secrets:post", PolicyTarget.NONE)).isTrue();
        assertThat(p.allows(ctx("member", "reader"), "secrets:post", PolicyTarget.NONE)).isFalse();
        assertThat(p.allows(ctx("member", "reader"), "secrets:get", PolicyTarget.NONE)).as("others untouched").isTrue();
    }

    @Test
    void overrideMayUseAnAliasAndTargetFields() {
        Policy p = Policy.create(true, Map.of("secret:decrypt", "rule:secret_owner"));
        assertThat(p.allows(ctx(), "secret:decrypt", OWN)).isTrue();
        assertThat(p.allows(ctx("admin"), "secret:decrypt", COLLEAGUES)).isFalse();
    }

    @Test
    void emptyOverrideAllowsEveryone() {
        Policy p = Policy.create(true, Map.of("secret:decrypt", ""));
        assertThat(p.allows(ctx(), "secret:decrypt", FOREIGN)).isTrue();
    }

    @Test
    void invalidOverrideNamesTheRule() {
        assertThatThrownBy(() -> Policy.create(true, Map.of("secret:get", "role:admin or (")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secret:get");
    }

    @Test
    void enforceThrowsBarbicans403() {
        assertThatThrownBy(() -> legacy.enforce(ctx("audit"), "secret:decrypt", OWN))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.description()).isEqualTo(
                            "Secret payload retrieval attempt not allowed - please review your user/project privileges");
                });
        assertThatThrownBy(() -> secureRbac.enforce(ctx("reader"), "secrets:post"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.description()).startsWith("Secret creation"));
        assertThatCode(() -> legacy.enforce(ctx("observer"), "secret:decrypt", OWN)).doesNotThrowAnyException();
    }

    @Test
    void enforceNewDefaultsIsReported() {
        assertThat(legacy.enforceNewDefaults()).isFalse();
        assertThat(secureRbac.enforceNewDefaults()).isTrue();
    }

    @Test
    void requestContextCopiesRoles() {
        java.util.Set<String> roles = new java.util.HashSet<>(Set.of("admin"));
        RequestContext c = RequestContext.project(PROJECT, USER, roles, "r");
        roles.clear();
        assertThat(c.hasRole("admin")).isTrue();
        assertThat(c.systemScope()).isNull();
    }
}
