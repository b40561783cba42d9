package org.portcullis.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.portcullis.config.PortcullisConfig.HttpSettings;
import org.portcullis.config.PortcullisConfig.Limits;
import org.portcullis.config.PortcullisConfig.QuotaDefaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a barbican.conf-style file into a {@link PortcullisConfig}. Every section and key is
 * checked against what Portcullis understands: a typo in a security setting must stop the server,
 * not be silently ignored. Barbican options that do not apply to Portcullis (logging, messaging)
 * are accepted with a warning so an existing barbican.conf can be used as is.
 */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    static final String STORE_SECTION_PREFIX = "secretstore:";

    /** Keys Portcullis reads, per section. */
    private static final Map<String, Set<String>> KNOWN = Map.of(
            "DEFAULT", Set.of("host_href", "sql_connection", "bind_host", "bind_port",
                    "max_allowed_secret_in_bytes", "max_allowed_request_size_in_bytes", "sql_pool_size",
                    "max_header_line"),
            "database", Set.of("connection", "max_pool_size", "min_pool_size", "read_limit"),
            "portcullis", Set.of("bind_host", "bind_port", "data_dir", "protect_consumed_secrets",
                    "tls_cert_file", "tls_key_file", "tls_client_ca_file", "http2", "allow_insecure_http",
                    "max_header_bytes", "idle_timeout_seconds", "request_timeout_seconds", "max_connections",
                    "rate_limit_per_project", "rate_limit_burst", "auth_strategy", "token_cache_size",
                    "keystone_request_timeout", "policy_defaults", "metrics_bind", "log_format", "log_level",
                    "expiry_warning_days", "db_wait_seconds", "drain_timeout_seconds", "idempotency_key_hours"),
            "keystone_authtoken", Set.of("www_authenticate_uri", "auth_uri", "auth_url", "auth_type", "username",
                    "password", "user_domain_name", "user_domain_id", "project_name", "project_domain_name",
                    "project_domain_id", "service_token_roles", "service_token_roles_required", "token_cache_time",
                    "http_connect_timeout", "cafile", "insecure", "certfile", "keyfile"),
            "secretstore", Set.of("enable_multiple_secret_stores", "stores_lookup_suffix",
                    "enabled_secretstore_plugins", "namespace"),
            "crypto", Set.of("enabled_crypto_plugins", "namespace"),
            "oslo_policy", Set.of("enforce_new_defaults", "enforce_scope", "policy_file", "policy_dirs"),
            "quotas", Set.of("quota_secrets", "quota_orders", "quota_containers", "quota_consumers", "quota_cas"),
            "audit", Set.of("enabled", "sink", "file", "fsync", "syslog_address", "syslog_facility", "hmac_key_file"),
            "oslo_middleware", Set.of("enable_proxy_headers_parsing"));

    private static final Set<String> STORE_KEYS = Set.of("secret_store_plugin", "crypto_plugin", "global_default");

    /**
     * Which plugin section configures which store: a {@code secret_store_plugin} (with its
     * {@code crypto_plugin} for {@code store_crypto}) reads the keys of one section, and the same
     * keys may be repeated in a {@code [secretstore:NAME]} section to override them for that store.
     */
    record PluginSection(String section, String storePlugin, String cryptoPlugin, Set<String> keys) {
        boolean configures(String store, String crypto) {
            return storePlugin.equals(store) && (cryptoPlugin == null || cryptoPlugin.equals(crypto));
        }
    }

    static final List<PluginSection> PLUGIN_SECTIONS = List.of(
            new PluginSection("simple_crypto_plugin", "store_crypto", "simple_crypto",
                    Set.of("kek", "kek_file", "previous_kek_files", "plugin_name")),
            // Barbican's [vault_plugin] keys plus Castellan's [vault] ones (stores/vault/VaultSettings).
            new PluginSection("vault_plugin", "vault_plugin", null, Set.of("vault_url", "root_token_id",
                    "approle_role_id", "approle_secret_id", "kv_mountpoint", "kv_path", "kv_version", "use_ssl",
                    "ssl_ca_crt_file", "namespace", "timeout", "auth_method", "auth_path", "token_role", "token_file")),
            // Barbican's p11_crypto_plugin options (deprecated names too) plus Portcullis'
            // session_pool_size; stores/pkcs11/Pkcs11Settings says what each one does here.
            new PluginSection("p11_crypto_plugin", "store_crypto", "p11_crypto",
                    Set.of("library_path", "token_serial_number", "token_labels", "token_label", "login", "mkek_label",
                            "mkek_length", "hmac_label", "slot_id", "rw_session", "pkek_length", "pkek_cache_ttl",
                            "pkek_cache_limit", "encryption_mechanism", "algorithm", "hmac_key_type",
                            "hmac_keygen_mechanism", "hmac_mechanism", "hmac_keywrap_mechanism", "key_wrap_mechanism",
                            "key_wrap_generate_iv", "seed_file", "seed_length", "plugin_name", "aes_gcm_generate_iv",
                            "generate_iv", "always_set_cka_sensitive", "os_locking_ok", "session_pool_size",
                            "previous_mkek_labels", "previous_hmac_labels")),
            new PluginSection("kmip_plugin", "kmip_plugin", null, Set.of("host", "port", "username", "password",
                    "keyfile", "certfile", "ca_certs", "ssl_version", "pkcs1_only", "plugin_name",
                    // Portcullis' own: connection pool bound, server certificate name check
                    "pool_size", "verify_hostname")));

    /** Barbican options with no meaning here: accepted, with a warning, so barbican.conf loads as is. */
    private static final Map<String, Set<String>> IGNORED = Map.of(
            "DEFAULT", Set.of("debug", "verbose", "log_file", "log_dir", "use_stderr", "use_syslog",
                    "db_auto_create", "transport_url", "backlog", "tcp_keepidle",
                    "sql_idle_timeout", "sql_max_retries", "sql_retry_interval", "sql_pool_class",
                    "sql_pool_max_overflow", "sql_pool_logging", "default_limit_paging", "max_limit_paging",
                    "log_config_append", "logging_context_format_string", "api_paste_config"),
            "database", Set.of("connection_recycle_time", "max_overflow", "max_retries", "retry_interval",
                    "idle_timeout", "pool_timeout", "sqlite_synchronous"),
            // Portcullis caches validated tokens in its own memory (bounded, keyed by a hash).
            "keystone_authtoken", Set.of("memcached_servers", "memcache_security_strategy", "memcache_secret_key",
                    "memcache_use_advanced_pool", "memcache_pool_dead_retry", "memcache_pool_maxsize",
                    "memcache_pool_socket_timeout", "memcache_pool_unused_timeout", "memcache_pool_conn_get_timeout",
                    "cache", "region_name", "interface", "service_type", "auth_version", "include_service_catalog",
                    "revocation_cache_time", "http_request_max_retries", "enforce_token_bind", "auth_section"),
            // Portcullis' own request limits apply ([DEFAULT] max_allowed_request_size_in_bytes).
            "oslo_middleware", Set.of("max_request_body_size", "secure_proxy_ssl_header", "http_basic_auth_user_file"));

    /** Whole Barbican sections that configure machinery Portcullis does not have (yet). */
    private static final Set<String> IGNORED_SECTIONS = Set.of("oslo_messaging_rabbit", "oslo_messaging_notifications",
            "queue", "retry_scheduler", "keystone_notifications", "certificate", "certificate_event",
            "cors", "healthcheck", "dogtag_plugin_deprecated");

    private ConfigLoader() {}

    public static PortcullisConfig load(Path file) {
        Path absolute = file.toAbsolutePath();
        FilePermissions.requireNotWorldReadableIfSecret(absolute, IniFile.read(absolute));
        return from(IniFile.read(absolute), absolute.getParent());
    }

    public static PortcullisConfig from(IniFile ini, Path baseDir) {
        ini.likelyInlineComments().forEach(LOG::warn);
        Reader r = new Reader(ini);
        r.checkKnownKeys();

        Path dataDir = r.path("portcullis", "data_dir", baseDir, baseDir.resolve("portcullis-data"));
        String hostHref = r.string("DEFAULT", "host_href", null);
        if (hostHref != null && !hostHref.matches("https?://.+")) {
            throw r.invalid("DEFAULT", "host_href", "expected an http:// or https:// URL");
        }

        HttpSettings http = HttpSettingsReader.read(r, baseDir);

        int pool = r.integer("database", "max_pool_size", r.integer("DEFAULT", "sql_pool_size", 16, 1, 1000), 1, 1000);
        String connection = r.string("database", "connection", r.string("DEFAULT", "sql_connection", null));
        DatabaseSettings database;
        if (connection == null) {
            database = DatabaseSettings.sqliteFile(dataDir.resolve("portcullis.sqlite"), pool);
        } else {
            String section = r.has("database", "connection") ? "database" : "DEFAULT";
            String key = section.equals("database") ? "connection" : "sql_connection";
            try {
                database = DatabaseSettings.parse(connection, pool, baseDir);
            } catch (IllegalArgumentException e) {
                throw r.invalid(section, key, e.getMessage());
            }
        }
        database = database.withWaitSeconds(r.integer("portcullis", "db_wait_seconds",
                DatabaseSettings.DEFAULT_WAIT_SECONDS, 1, 600));
        if (r.has("database", "min_pool_size")) {
            database = database.withMinPoolSize(r.integer("database", "min_pool_size", 0, 0, 1000));
        }
        if (r.has("database", "read_limit")) {
            database = database.withReadLimit(r.integer("database", "read_limit", 0, 0, 1000));
        }

        long maxSecret = r.integer("DEFAULT", "max_allowed_secret_in_bytes", 20_000, 1, 100_000_000);
        long maxRequest = r.integer("DEFAULT", "max_allowed_request_size_in_bytes", 25_000, 1, 200_000_000);
        if (maxRequest < maxSecret) {
            maxRequest = maxSecret * 2 + 4096; // base64 and JSON around a maximal secret must still fit
        }

        QuotaDefaults quotas = new QuotaDefaults(
                r.integer("quotas", "quota_secrets", -1, -1, Integer.MAX_VALUE),
                r.integer("quotas", "quota_orders", -1, -1, Integer.MAX_VALUE),
                r.integer("quotas", "quota_containers", -1, -1, Integer.MAX_VALUE),
                r.integer("quotas", "quota_consumers", -1, -1, Integer.MAX_VALUE),
                r.integer("quotas", "quota_cas", -1, -1, Integer.MAX_VALUE));

        PortcullisConfig.PolicySettings policy = PolicySettingsReader.read(r, baseDir);
        PortcullisConfig.AuthSettings auth = AuthSettingsReader.read(r, baseDir);
        if (policy.defaults().equals(PortcullisConfig.PolicySettings.RELEASE_2023_1)
                && auth.strategy() != PortcullisConfig.AuthStrategy.KEYSTONE) {
            LOG.warn("{}: [portcullis] policy_defaults = 2023.1 without Keystone: no caller is system-scoped, so project "
                    + "quotas and transport-key management are closed to everyone", ini.source());
        }
        return new PortcullisConfig(ini.source(), hostHref, dataDir, http, database,
                StoreSettingsReader.read(r, baseDir), new Limits(maxSecret, maxRequest), quotas, policy,
                r.bool("portcullis", "protect_consumed_secrets", false), AuditSettingsReader.read(r, baseDir, dataDir),
                auth, MonitoringSettingsReader.read(r),
                new PortcullisConfig.ClusterSettings(
                        r.integer("portcullis", "drain_timeout_seconds", 20, 0, 3600),
                        r.integer("portcullis", "idempotency_key_hours", 24, 1, 24 * 365)));
    }


    static String defaultCrypto(String storePlugin) {
        return storePlugin.equals("store_crypto") ? "simple_crypto" : null;
    }

    static java.util.Optional<PluginSection> pluginSection(String store, String crypto) {
        return PLUGIN_SECTIONS.stream().filter(p -> p.configures(store, crypto)).findFirst();
    }


    /** Typed access to the INI with errors that name file, section, key and line. */
    static final class Reader {
        final IniFile ini;

        Reader(IniFile ini) {
            this.ini = ini;
        }

        void checkKnownKeys() {
            List<String> unknown = new ArrayList<>();
            for (var section : ini.sections().entrySet()) {
                String name = section.getKey();
                if (IGNORED_SECTIONS.contains(name)) {
                    LOG.warn("{}: [{}] configures Barbican machinery Portcullis does not use; ignored", ini.source(), name);
                    continue;
                }
                Set<String> known = name.startsWith(STORE_SECTION_PREFIX) ? storeSectionKeys(name) : knownKeys(name);
                if (known == null) {
                    unknown.add("unknown section [" + name + "]");
                    continue;
                }
                Set<String> ignored = IGNORED.getOrDefault(name, Set.of());
                for (var key : section.getValue().entrySet()) {
                    if (known.contains(key.getKey())) {
                        continue;
                    }
                    if (ignored.contains(key.getKey())) {
                        LOG.warn("{}:{}: [{}] {} has no effect in Portcullis; ignored", ini.source(),
                                key.getValue().line(), name, key.getKey());
                        continue;
                    }
                    unknown.add("line " + key.getValue().line() + ": unknown key [" + name + "] " + key.getKey());
                }
            }
            if (!unknown.isEmpty()) {
                throw new ConfigException(ini.source() + ": " + String.join("; ", unknown));
            }
        }

        private Set<String> knownKeys(String section) {
            for (PluginSection p : PLUGIN_SECTIONS) {
                if (p.section().equals(section)) {
                    return p.keys();
                }
            }
            return KNOWN.get(section);
        }

        /** A store section knows its own keys and its plugin's, so it can override them. */
        private Set<String> storeSectionKeys(String section) {
            String store = string(section, "secret_store_plugin", "");
            String crypto = string(section, "crypto_plugin", defaultCrypto(store));
            Set<String> keys = new java.util.HashSet<>(STORE_KEYS);
            var plugin = pluginSection(store, crypto);
            if (plugin.isPresent()) {
                keys.addAll(plugin.get().keys());
            } else {
                // An unknown plugin is reported by name later; don't bury that under its keys.
                keys.addAll(section(section).keySet());
            }
            return keys;
        }

        private Map<String, IniFile.Entry> section(String name) {
            return ini.section(name);
        }

        boolean has(String section, String key) {
            return ini.section(section).containsKey(key);
        }

        String string(String section, String key, String fallback) {
            IniFile.Entry e = ini.section(section).get(key);
            return e == null || e.value().isEmpty() ? fallback : e.value();
        }

        int integer(String section, String key, int fallback, int min, int max) {
            String v = string(section, key, null);
            if (v == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw invalid(section, key, "must be between " + min + " and " + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw invalid(section, key, "expected an integer, got '" + v + "'");
            }
        }

        boolean bool(String section, String key, boolean fallback) {
            String v = string(section, key, null);
            if (v == null) {
                return fallback;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> true;
                case "false", "no", "off", "0" -> false;
                default -> throw invalid(section, key, "expected True or False, got '" + v + "'");
            };
        }

        List<String> list(String section, String key, List<String> fallback) {
            String v = string(section, key, null);
            if (v == null) {
                return fallback;
            }
            List<String> out = new ArrayList<>();
            for (String part : v.split("[,\\n]")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
            return out;
        }

        Path path(String section, String key, Path baseDir, Path fallback) {
            String v = string(section, key, null);
            if (v == null) {
                return fallback;
            }
            Path p = Path.of(v);
            return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
        }

        ConfigException invalid(String section, String key, String problem) {
            IniFile.Entry e = ini.section(section).get(key);
            String where = e == null ? "" : ":" + e.line();
            return new ConfigException(ini.source() + where + ": [" + section + "] " + key + " " + problem);
        }
    }

}
