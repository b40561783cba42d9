package org.portcullis.auth;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which release's default rules apply ({@code [portcullis] policy_defaults}). {@link #CURRENT} is
 * upstream's secure RBAC as shipped now: project scope only. {@link #RELEASE_2023_1} is what
 * Barbican 15 and 16 (2022.2, 2023.1) shipped: a system-scoped admin for project quotas and
 * transport keys and for consumers, project admins confined to their own project for secret get
 * and delete. Legacy rules ({@code enforce_new_defaults = False}) are the same in both.
 */
public enum PolicyProfile {
    CURRENT("current"),
    RELEASE_2023_1("2023.1");

    private final String configName;

    PolicyProfile(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The profile named {@code name} in the configuration; null if there is none. */
    public static PolicyProfile named(String name) {
        return Arrays.stream(values()).filter(p -> p.configName.equals(name)).findFirst().orElse(null);
    }

    /** Aliases plus the secure-RBAC rules of this profile, by name. */
    Map<String, String> secureRbacRules() {
        Map<String, String> rules = new LinkedHashMap<>(PolicyDefaults.NEW);
        if (this == RELEASE_2023_1) {
            rules.putAll(PolicyDefaults2023.NEW);
        }
        return rules;
    }

    Map<String, String> aliases() {
        Map<String, String> aliases = new LinkedHashMap<>(PolicyDefaults.ALIASES);
        if (this == RELEASE_2023_1) {
            aliases.putAll(PolicyDefaults2023.ALIASES);
        }
        return aliases;
    }

    /** The token scopes a rule accepts (oslo.policy's scope_types): "project", "system". */
    Set<String> scopeTypes(String rule) {
        return this == RELEASE_2023_1 ? PolicyDefaults2023.SCOPE_TYPES.getOrDefault(rule, PROJECT) : PROJECT;
    }

    /** Whether any rule accepts a system-scoped token. */
    public boolean acceptsSystemScope() {
        return this == RELEASE_2023_1;
    }

    static final Set<String> PROJECT = Set.of("project");
}
