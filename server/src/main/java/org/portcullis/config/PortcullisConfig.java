package org.portcullis.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the server was told to be, validated. Built only by {@link ConfigLoader} (from a
 * barbican.conf-style file) or by {@code dev} (zero configuration).
 *
 * @param hostHref base URL for every href the API returns; null means the request's own
 * @param dataDir where generated files (dev KEKs, the SQLite file) live
 * @param protectConsumedSecrets refuse to delete a secret with consumers at every microversion,
 *     not only from 1.2 on
 */
public record PortcullisConfig(
        String source,
        String hostHref,
        Path dataDir,
        HttpSettings http,
        DatabaseSettings database,
        StoreSettings stores,
        Limits limits,
        QuotaDefaults quotas,
        PolicySettings policy,
        boolean protectConsumedSecrets) {

    /**
     * {@code [oslo_policy]}: secure RBAC unless {@code enforce_new_defaults = False}; an optional
     * oslo.policy file (YAML or JSON) that overrides rules by name.
     */
    public record PolicySettings(boolean enforceNewDefaults, boolean enforceScope, Path policyFile) {}


    public record HttpSettings(String bindHost, int bindPort) {}

    /** Request size limits, as Barbican's max_allowed_* options. */
    public record Limits(long maxSecretBytes, long maxRequestBytes) {}

    /** The project quotas that apply when an admin set none; -1 is unlimited, 0 disables. */
    public record QuotaDefaults(int secrets, int orders, int containers, int consumers, int cas) {}

    /** The configured secret stores and whether the multi-store API is on. */
    public record StoreSettings(boolean multipleStores, List<StoreSettings.Store> stores) {
        /**
         * One {@code [secretstore:NAME]}: its plugins, whether it is the global default, where
         * a software store reads its master KEK (a file, or base64 inline as Barbican's kek), and
         * its plugin's options.
         */
        public record Store(String name, String storePlugin, String cryptoPlugin, boolean globalDefault,
                KekSource kek, StoreOptions options) {}

        public Store globalDefault() {
            return stores.stream().filter(Store::globalDefault).findFirst().orElseThrow();
        }
    }

    /** Where a software store's master KEK comes from: a file, or the base64 value itself. */
    public record KekSource(String origin, Path file, String inlineBase64) {}
}
