package org.portcullis.config;

import java.nio.file.Files;
import java.nio.file.Path;
import org.portcullis.config.PortcullisConfig.PolicySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [oslo_policy]} and {@code [portcullis] policy_defaults}. Every security setting read here
 * either takes effect or is named in a warning at start saying what it does not do.
 */
final class PolicySettingsReader {
    private static final Logger LOG = LoggerFactory.getLogger(PolicySettingsReader.class);

    private PolicySettingsReader() {}

    static PolicySettings read(ConfigLoader.Reader r, Path baseDir) {
        Path file = r.path("oslo_policy", "policy_file", baseDir, null);
        if (file != null && !Files.isRegularFile(file)) {
            throw r.invalid("oslo_policy", "policy_file", "names " + file + ", which does not exist");
        }
        String defaults = r.string("portcullis", "policy_defaults", PolicySettings.CURRENT);
        if (!defaults.equals(PolicySettings.CURRENT) && !defaults.equals(PolicySettings.RELEASE_2023_1)) {
            throw r.invalid("portcullis", "policy_defaults", "must be " + PolicySettings.CURRENT + " (upstream's "
                    + "current secure-RBAC rules) or " + PolicySettings.RELEASE_2023_1 + " (Barbican 15/16's, with "
                    + "system scope), got '" + defaults + "'");
        }
        boolean enforceNewDefaults = r.bool("oslo_policy", "enforce_new_defaults", true);
        boolean enforceScope = r.bool("oslo_policy", "enforce_scope", true);
        if (!enforceScope) {
            String where = r.ini.source() + lineOf(r, "oslo_policy", "enforce_scope") + ": [oslo_policy] enforce_scope = "
                    + "False";
            if (defaults.equals(PolicySettings.CURRENT)) {
                LOG.warn("{} has no effect with policy_defaults = current: every rule is for project scope, and a "
                        + "system-scoped token is refused whatever this says (it names no project to act in)", where);
            } else {
                LOG.warn("{}: a project-scoped token is no longer refused by the system-only rules (project_quotas:*, "
                        + "transport_keys:post, transport_key:delete) before they are evaluated; a system-scoped token "
                        + "is still refused by every rule that is not for system scope", where);
            }
        }
        return new PolicySettings(enforceNewDefaults, enforceScope, file, defaults);
    }

    private static String lineOf(ConfigLoader.Reader r, String section, String key) {
        IniFile.Entry e = r.ini.section(section).get(key);
        return e == null ? "" : ":" + e.line();
    }
}
