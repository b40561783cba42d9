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
        boolean protectConsumedSecrets,
        AuditSettings audit) {

    /**
     * {@code [audit]}: where the audit trail goes ({@code org.portcullis.audit}).
     *
     * @param sink {@code file} or {@code syslog}
     * @param file the append-only JSON-lines file ({@code sink = file})
     * @param syslogAddress {@code udp://host:port} or {@code tcp://host:port} ({@code sink = syslog})
     * @param syslogFacility the RFC 5424 facility code (authpriv = 10 by default)
     * @param hmacKeyFile the chain's HMAC key (base64, 32 bytes, mode 0400/0600); null means one
     *     derived from the global default software store's master KEK
     */
    public record AuditSettings(boolean enabled, Sink sink, Path file, Fsync fsync, java.net.URI syslogAddress,
            int syslogFacility, Path hmacKeyFile) {
        public enum Sink { FILE, SYSLOG }

        /** When the file sink forces its writes to disk: before each response, once a second, or never. */
        public enum Fsync { ALWAYS, INTERVAL, NEVER }
    }

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
         * One {@code [secretstore:NAME]}: its plugins, whether it is the global default, and where
         * a software store reads its master KEK (a file, or base64 inline as Barbican's kek).
         */
        public record Store(String name, String storePlugin, String cryptoPlugin, boolean globalDefault,
                KekSource kek) {}

        public Store globalDefault() {
            return stores.stream().filter(Store::globalDefault).findFirst().orElseThrow();
        }
    }

    /** Where a software store's master KEK comes from: a file, or the base64 value itself. */
    public record KekSource(String origin, Path file, String inlineBase64) {}
}
