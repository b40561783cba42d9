package org.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Everything the server was told to be, validated. Built only by {@link ConfigLoader} (from a
 * barbican.conf-style file) or by {@code dev} (zero configuration).
 *
 * @param hostHref base URL for every href the API returns; null means the request's own
 * @param dataDir where generated files (dev KEKs, the SQLite file) live
 * @param protectConsumedSecrets refuse to delete a secret with consumers at every microversion,
 *     not only from 1.2 on
 * @param auth how {@code /v1} callers are authenticated: no-auth headers or Keystone tokens
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
        AuthSettings auth) {

    /** Barbican's two paste pipelines: {@code unauthenticated-context} or {@code authtoken context}. */
    public enum AuthStrategy { NOAUTH, KEYSTONE }

    /**
     * The authentication choice. {@code explicit} is false when nobody asked for no-auth: the
     * configuration simply has no {@code [keystone_authtoken]}, which the server says loudly.
     */
    public record AuthSettings(AuthStrategy strategy, boolean explicit, KeystoneSettings keystone) {
        public static AuthSettings noAuth(boolean explicit) {
            return new AuthSettings(AuthStrategy.NOAUTH, explicit, null);
        }
    }

    /**
     * {@code [keystone_authtoken]} as keystonemiddleware's auth_token reads it (password auth).
     *
     * @param identityUri the Keystone v3 API root derived from {@code auth_url} (ends in {@code /v3})
     * @param wwwAuthenticateUri what a 401 names in {@code WWW-Authenticate: Keystone uri="..."}
     * @param serviceTokenRoles roles an {@code X-Service-Token} must carry (any one of them)
     * @param cacheTime how long a validated token is trusted without asking Keystone again
     *     ({@code token_cache_time}); revocations take effect within this time
     * @param cacheSize most tokens kept ({@code [portcullis] token_cache_size})
     * @param caFile PEM certificates trusted for an https Keystone, or null for the JDK's
     */
    public record KeystoneSettings(URI identityUri, String wwwAuthenticateUri, String username, String password,
            Domain userDomain, String projectName, Domain projectDomain, Set<String> serviceTokenRoles,
            boolean serviceTokenRolesRequired, Duration cacheTime, int cacheSize, Duration connectTimeout,
            Duration requestTimeout, Path caFile) {
        public KeystoneSettings {
            serviceTokenRoles = Set.copyOf(serviceTokenRoles);
        }

        /** A Keystone domain named by id ({@code *_domain_id}) or by name ({@code *_domain_name}). */
        public record Domain(String id, String name) {}

        /** Never the password: records print their components, and configs get logged. */
        @Override
        public String toString() {
            return "KeystoneSettings[identityUri=" + identityUri + ", username=" + username + ", projectName="
                    + projectName + ", cacheTime=" + cacheTime + ", cacheSize=" + cacheSize + "]";
        }
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
