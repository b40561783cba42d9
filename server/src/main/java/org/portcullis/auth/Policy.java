package org.portcullis.auth;

import java.util.HashMap;
import java.util.Map;
import org.portcullis.http.ApiException;

/**
 * Who may do what. Every service method asks here, by Barbican's rule name ({@code secret:get},
 * {@code containers:post}, …), before it touches data.
 *
 * <p>The defaults are Barbican's: secure RBAC (member, reader, admin) as upstream ships it, or, with
 * {@code enforce_new_defaults = False}, the legacy rules (admin, creator, observer, audit,
 * key-manager:service-admin). An operator's policy file (oslo.policy syntax) replaces rules by
 * name, as in Barbican.
 */
public final class Policy {
    private static final String ENFORCE_NEW_DEFAULTS = "enforce_new_defaults";
    private final Map<String, PolicyRule> rules;
    private final boolean enforceNewDefaults;
    private final PolicyProfile profile;
    private final boolean enforceScope;

    private Policy(Map<String, PolicyRule> rules, boolean enforceNewDefaults, PolicyProfile profile,
            boolean enforceScope) {
        this.rules = rules;
        this.enforceNewDefaults = enforceNewDefaults;
        this.profile = profile;
        this.enforceScope = enforceScope;
    }

    /** Upstream's current defaults, scope enforced. */
    public static Policy create(boolean enforceNewDefaults, Map<String, String> overrides) {
        return create(PolicyProfile.CURRENT, enforceNewDefaults, true, overrides);
    }

    /**
     * @param enforceScope oslo.policy's {@code enforce_scope}: a project-scoped token is refused by
     *     a secure-RBAC rule that is only for system scope. A system-scoped token is always refused by a rule
     *     that is not for system scope: it has no project to act in.
     * @param overrides rule name to check string, from the operator's policy file
     */
    public static Policy create(PolicyProfile profile, boolean enforceNewDefaults, boolean enforceScope,
            Map<String, String> overrides) {
        Map<String, PolicyRule> rules = new HashMap<>();
        profile.aliases().forEach((name, check) -> rules.put(name, PolicyParser.parse(check)));
        (enforceNewDefaults ? profile.secureRbacRules() : PolicyDefaults.LEGACY)
                .forEach((name, check) -> rules.put(name, PolicyParser.parse(check)));
        overrides.forEach((name, check) -> rules.put(name, parseOverride(name, check)));
        return new Policy(Map.copyOf(rules), enforceNewDefaults, profile, enforceScope);
    }

    private static PolicyRule parseOverride(String name, String check) {
        try {
            return PolicyParser.parse(check);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("policy rule '" + name + "': " + e.getMessage(), e);
        }
    }

    public boolean enforceNewDefaults() {
        return enforceNewDefaults;
    }

    /** Whether {@code ctx} passes {@code rule} for {@code target}. */
    public boolean allows(RequestContext ctx, String rule, PolicyTarget target) {
        PolicyRule r = rules.get(rule);
        if (r == null || !scopeAllowed(ctx, rule)) {
            return false;
        }
        // The target's fields and enforce_new_defaults, looked up without copying the target per check.
        Map<String, String> values = target.values();
        String enforce = enforceNewDefaults ? "True" : "False";
        return r.test(new PolicyRule.Inputs(ctx, key -> ENFORCE_NEW_DEFAULTS.equals(key) ? enforce : values.get(key),
                rules::get, 0));
    }

    private boolean scopeAllowed(RequestContext ctx, String rule) {
        java.util.Set<String> scopes = profile.scopeTypes(rule);
        if (ctx.systemScope() != null) {
            return scopes.contains("system");
        }
        // The legacy rules predate scopes: under them a project token is judged by its roles only.
        return !enforceScope || !enforceNewDefaults || scopes.contains("project");
    }

    /** Throws Barbican's 403 unless {@code ctx} passes {@code rule}. */
    public void enforce(RequestContext ctx, String rule, PolicyTarget target) {
        if (!allows(ctx, rule, target)) {
            throw ApiException.forbidden(PolicyDefaults.operation(rule)
                    + " attempt not allowed - please review your user/project privileges");
        }
    }

    public void enforce(RequestContext ctx, String rule) {
        enforce(ctx, rule, PolicyTarget.NONE);
    }
}
