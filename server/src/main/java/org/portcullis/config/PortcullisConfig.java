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
        AuditSettings audit,
        AuthSettings auth,
        MonitoringSettings monitoring,
        ClusterSettings cluster) {

    /**
     * How the node is watched.
     *
     * @param metricsBind where {@code GET /metrics} is also served without authentication; null: only on the API port
     * @param logLevel the root log level ({@code PORTCULLIS_LOG_LEVEL} overrides it); null: INFO
     * @param expiryWarningDays how close to its expiration a secret is logged and audited once, and the
     *     window of {@code portcullis_secrets_expiring}; 0: neither
     */
    public record MonitoringSettings(java.net.InetSocketAddress metricsBind, LogFormat logFormat, String logLevel,
            int expiryWarningDays) {
        public enum LogFormat { TEXT, JSON }

        public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

        public static final MonitoringSettings DEFAULTS = new MonitoringSettings(null, LogFormat.TEXT, null, 30);
    }

    /**
     * Running as one of several nodes ({@code [portcullis]}).
     *
     * @param drainTimeoutSeconds on SIGTERM, how long in-flight requests may take to finish
     * @param idempotencyKeyHours how long an {@code Idempotency-Key} is remembered
     */
    public record ClusterSettings(int drainTimeoutSeconds, int idempotencyKeyHours) {}

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
    public record PolicySettings(boolean enforceNewDefaults, boolean enforceScope, Path policyFile, String defaults) {
        /** Upstream's current default rules ({@code [portcullis] policy_defaults}). */
        public static final String CURRENT = "current";
        /** Barbican 15/16's secure-RBAC rules, with system scope. */
        public static final String RELEASE_2023_1 = "2023.1";
    }


    /**
     * The listening socket and what protects it ({@code [portcullis]}).
     *
     * @param tls HTTPS settings; null serves plain HTTP
     * @param allowInsecureHttp plain HTTP on a non-loopback address was asked for explicitly
     * @param limits what one client may hold or send
     * @param rateLimitPerProject requests per second a project may make; 0 is unlimited
     * @param rateLimitBurst requests a project may make at once before the rate applies
     * @param proxyHeaders hrefs follow Forwarded / X-Forwarded-* ({@code [oslo_middleware]
     *     enable_proxy_headers_parsing}), for a node behind a TLS-terminating proxy
     */
    public record HttpSettings(String bindHost, int bindPort, TlsSettings tls, boolean allowInsecureHttp,
            ConnectionLimits limits, double rateLimitPerProject, int rateLimitBurst, boolean proxyHeaders) {
        /** Plain HTTP with the default limits and no rate limit (tests, tools). */
        public HttpSettings(String bindHost, int bindPort) {
            this(bindHost, bindPort, null, false, ConnectionLimits.DEFAULTS, 0, 0, false);
        }

        public String scheme() {
            return tls == null ? "http" : "https";
        }

        /** True when {@link #bindHost} names only loopback addresses (reachable from this host only). */
        public boolean loopback() {
            return HttpSettingsReader.isLoopback(bindHost);
        }
    }

    /**
     * HTTPS: a PEM certificate chain (leaf first) and its private key (PKCS#8, PKCS#1 RSA or SEC1
     * EC, unencrypted, owner-only); optionally the PEM CA certificates client certificates must
     * chain to (mutual TLS, then required), and HTTP/2 by ALPN.
     */
    public record TlsSettings(Path certFile, Path keyFile, Path clientCaFile, boolean http2) {}

    /**
     * Per-connection limits against clients that hold the server's resources.
     *
     * @param maxHeaderBytes request line plus headers; larger gets 431
     * @param idleTimeoutMillis a connection with no traffic for this long is closed
     * @param requestTimeoutMillis a request (headers and body) must arrive within this long of
     *     its first byte, and a new connection's first request within this long of the connect
     * @param maxConnections open connections at once; further clients wait in the accept queue
     */
    public record ConnectionLimits(int maxHeaderBytes, long idleTimeoutMillis, long requestTimeoutMillis,
            int maxConnections) {
        public static final ConnectionLimits DEFAULTS = new ConnectionLimits(16 * 1024, 30_000, 20_000, 1024);
    }

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
