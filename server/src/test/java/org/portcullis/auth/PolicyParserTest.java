package org.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

class PolicyParserTest {
    /** Remove from every test that names it once the tokenizer keeps {@code %(...)s} whole. */
    static final String SUBSTITUTION_BUG = "BUG: PolicyParser.tokenize splits 'project_id:%(target.secret.project_id)s'"
            + " at its parentheses, so every default rule with a target field fails to parse and Policy.create throws";

    private final Map<String, PolicyRule> named = new HashMap<>();

    private boolean eval(String rule, Set<String> roles, Map<String, String> target) {
        RequestContext ctx = new RequestContext("p1", "u1", roles, null, "req");
        return PolicyParser.parse(rule).test(new PolicyRule.Inputs(ctx, target::get, named::get, 0));
    }

    private boolean eval(String rule, String... roles) {
        return eval(rule, Set.of(roles), Map.of());
    }

    @Test
    void tokenizeSplitsParenthesesAndKeepsQuotedLiterals() {
        assertThat(PolicyParser.tokenize("(role:a or role:b) and not 'x y':%(t)s"))
                .containsExactly("(", "role:a", "or", "role:b", ")", "and", "not", "'x y':%(t)s");
    }

    @Test
    void andBindsTighterThanOr() {
        // a or (b and c)
        assertThat(eval("role:a or role:b and role:c", "a")).isTrue();
        assertThat(eval("role:a or role:b and role:c", "b")).isFalse();
        assertThat(eval("role:a or role:b and role:c", "b", "c")).isTrue();
        assertThat(eval("(role:a or role:b) and role:c", "a")).isFalse();
    }

    @Test
    void notAppliesToTheNextCheck() {
        assertThat(eval("not role:a", "b")).isTrue();
        assertThat(eval("not role:a", "a")).isFalse();
        assertThat(eval("not role:a and role:b", "b")).isTrue();
        assertThat(eval("not (role:a or role:b)", "b")).isFalse();
        assertThat(eval("not not role:a", "a")).isTrue();
    }

    @Test
    void alwaysNeverAndEmpty() {
        assertThat(eval("@")).isTrue();
        assertThat(eval("!", "admin")).isFalse();
        assertThat(eval("")).isTrue();
        assertThat(eval("   ")).isTrue();
    }

    @Test
    void ruleReferencesAreResolvedAndUnknownOnesAreFalse() {
        named.put("is_a", PolicyParser.parse("role:a"));
        assertThat(eval("rule:is_a", "a")).isTrue();
        assertThat(eval("rule:is_a", "b")).isFalse();
        assertThat(eval("rule:nowhere", "a")).isFalse();
        assertThat(eval("not rule:nowhere", "a")).isTrue();
    }

    @Test
    void cyclicRulesFailInsteadOfRecursingForever() {
        named.put("x", PolicyParser.parse("rule:y"));
        named.put("y", PolicyParser.parse("rule:x"));
        assertThatThrownBy(() -> eval("rule:x", "a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cycle");
    }

    @Test
    void credentialChecksSubstituteTargetFields() {
        Map<String, String> target = Map.of("target.secret.project_id", "p1", "target.secret.creator_id", "u2");
        assertThat(eval("project_id:%(target.secret.project_id)s", Set.of(), target)).isTrue();
        assertThat(eval("user_id:%(target.secret.creator_id)s", Set.of(), target)).isFalse();
        assertThat(eval("project_id:p1", Set.of(), Map.of())).isTrue();
        assertThat(eval("user:u1", Set.of(), Map.of())).isTrue();
    }

    @Test
    void missingTargetFieldMakesTheCheckFalse() {
        assertThat(eval("project_id:%(target.secret.project_id)s", Set.of(), Map.of())).isFalse();
        assertThat(eval("not project_id:%(target.secret.project_id)s", Set.of(), Map.of())).isTrue();
    }

    @Test
    void literalChecksCompareWithTheSubstitutedValue() {
        Map<String, String> target = Map.of("target.secret.read", "read", "target.secret.read_project_access", "False");
        assertThat(eval("'read':%(target.secret.read)s", Set.of(), target)).isTrue();
        assertThat(eval("\"read\":%(target.secret.read)s", Set.of(), target)).isTrue();
        assertThat(eval("'False':%(target.secret.read_project_access)s", Set.of(), target)).isTrue();
        assertThat(eval("True:%(target.secret.read_project_access)s", Set.of(), target)).isFalse();
        assertThat(eval("False:%(target.secret.read_project_access)s", Set.of(), target)).isTrue();
    }

    @Test
    void aFieldWithinTextIsSubstitutedInPlace() {
        Map<String, String> target = Map.of("a", "p", "b", "1");
        assertThat(PolicyRule.Generic.substitute("%(a)s%(b)s", target::get)).isEqualTo("p1");
        assertThat(PolicyRule.Generic.substitute("x-%(a)s-y", target::get)).isEqualTo("x-p-y");
        assertThat(PolicyRule.Generic.substitute("%(a)s", target::get)).isEqualTo("p");
        assertThat(PolicyRule.Generic.substitute("plain", target::get)).isEqualTo("plain");
        assertThat(PolicyRule.Generic.substitute("%(a)s-%(missing)s", target::get)).isNull();
        assertThat(PolicyRule.Generic.substitute("%(a", target::get)).isNull();
    }

    @Test
    void unknownCredentialKindIsFalse() {
        assertThat(eval("domain_id:p1", "admin")).isFalse();
    }

    @Test
    void systemScopeCheck() {
        RequestContext system = new RequestContext(null, "u1", Set.of("admin"), "all", "req");
        PolicyRule rule = PolicyParser.parse("role:admin and system_scope:all");
        assertThat(rule.test(new PolicyRule.Inputs(system, Map.<String, String>of()::get, named::get, 0))).isTrue();
        assertThat(eval("role:admin and system_scope:all", "admin")).isFalse();
    }

    @Test
    void parenthesesAroundSubstitutionsAreGrouping() {
        Map<String, String> target = Map.of("target.secret.project_id", "p1");
        assertThat(PolicyParser.tokenize("(project_id:%(target.secret.project_id)s)"))
                .containsExactly("(", "project_id:%(target.secret.project_id)s", ")");
        assertThat(eval("(role:x or project_id:%(target.secret.project_id)s)", Set.of(), target)).isTrue();
        assertThat(eval("((role:x) or (project_id:%(target.secret.project_id)s))", Set.of(), target)).isTrue();
    }

    @Test
    void operatorsAreCaseInsensitiveAsInOsloPolicy() {
        assertThat(eval("role:a AND role:b", "a", "b")).isTrue();
        assertThat(eval("role:a Or role:b", "b")).isTrue();
        assertThat(eval("NOT role:a", "b")).isTrue();
    }

    @Test
    void malformedRulesAreRefused() {
        for (String bad : List.of("role:a or", "(role:a", "role:a)", "admin", "role:a role:b", ":x", "not")) {
            assertThatThrownBy(() -> PolicyParser.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
