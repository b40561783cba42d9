package org.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.portcullis.config.PortcullisConfig.AuthSettings;
import org.portcullis.config.PortcullisConfig.AuthStrategy;
import org.portcullis.config.PortcullisConfig.HttpSettings;
import org.portcullis.config.PortcullisConfig.KekSource;
import org.portcullis.config.PortcullisConfig.KeystoneSettings;
import org.portcullis.config.PortcullisConfig.Limits;
import org.portcullis.config.PortcullisConfig.QuotaDefaults;
import org.portcullis.config.PortcullisConfig.StoreSettings;
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
                    "max_allowed_secret_in_bytes", "max_allowed_request_size_in_bytes", "sql_pool_size"),
            "database", Set.of("connection", "max_pool_size"),
            "portcullis", Set.of("bind_host", "bind_port", "data_dir", "protect_consumed_secrets", "auth_strategy",
                    "token_cache_size", "keystone_request_timeout"),
            "keystone_authtoken", Set.of("www_authenticate_uri", "auth_uri", "auth_url", "auth_type", "username",
                    "password", "user_domain_name", "user_domain_id", "project_name", "project_domain_name",
                    "project_domain_id", "service_token_roles", "service_token_roles_required", "token_cache_time",
                    "http_connect_timeout", "cafile", "insecure", "certfile", "keyfile"),
            "secretstore", Set.of("enable_multiple_secret_stores", "stores_lookup_suffix",
                    "enabled_secretstore_plugins", "namespace"),
            "crypto", Set.of("enabled_crypto_plugins", "namespace"),
            "simple_crypto_plugin", Set.of("kek", "kek_file", "plugin_name"),
            "oslo_policy", Set.of("enforce_new_defaults", "enforce_scope", "policy_file", "policy_dirs"),
            "quotas", Set.of("quota_secrets", "quota_orders", "quota_containers", "quota_consumers", "quota_cas"));

    private static final Set<String> STORE_KEYS = Set.of("secret_store_plugin", "crypto_plugin", "global_default",
            "kek", "kek_file");

    /** Barbican options with no meaning here: accepted, with a warning, so barbican.conf loads as is. */
    private static final Map<String, Set<String>> IGNORED = Map.of(
            "DEFAULT", Set.of("debug", "verbose", "log_file", "log_dir", "use_stderr", "use_syslog",
                    "db_auto_create", "transport_url", "backlog", "tcp_keepidle", "max_header_line",
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
                    "revocation_cache_time", "http_request_max_retries", "enforce_token_bind", "auth_section"));

    /** Whole Barbican sections that configure machinery Portcullis does not have (yet). */
    private static final Set<String> IGNORED_SECTIONS = Set.of("oslo_messaging_rabbit", "oslo_messaging_notifications",
            "queue", "retry_scheduler", "keystone_notifications", "certificate", "certificate_event",
            "oslo_middleware", "cors", "healthcheck", "dogtag_plugin_deprecated");

    private ConfigLoader() {}

    public static PortcullisConfig load(Path file) {
        Path absolute = file.toAbsolutePath();
        FilePermissions.requireNotWorldReadableIfSecret(absolute, IniFile.read(absolute));
        return from(IniFile.read(absolute), absolute.getParent());
    }

    public static PortcullisConfig from(IniFile ini, Path baseDir) {
        Reader r = new Reader(ini);
        r.checkKnownKeys();

        Path dataDir = r.path("portcullis", "data_dir", baseDir, baseDir.resolve("portcullis-data"));
        String hostHref = r.string("DEFAULT", "host_href", null);
        if (hostHref != null && !hostHref.matches("https?://.+")) {
            throw r.invalid("DEFAULT", "host_href", "expected an http:// or https:// URL");
        }

        String bindHost = r.string("portcullis", "bind_host", r.string("DEFAULT", "bind_host", "127.0.0.1"));
        int bindPort = r.integer("portcullis", "bind_port", r.integer("DEFAULT", "bind_port", 9311, 0, 65535), 0, 65535);

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

        return new PortcullisConfig(ini.source(), hostHref, dataDir, new HttpSettings(bindHost, bindPort), database,
                stores(r, baseDir), new Limits(maxSecret, maxRequest), quotas, policy(r, baseDir),
                r.bool("portcullis", "protect_consumed_secrets", false), auth(r, baseDir));
    }

    /**
     * {@code [portcullis] auth_strategy = keystone | noauth}; without it, Keystone when there is a
     * {@code [keystone_authtoken]} section (an incomplete one is an error, never a silent fall back
     * to no-auth), else no-auth (said loudly at start).
     */
    private static AuthSettings auth(Reader r, Path baseDir) {
        String section = "keystone_authtoken";
        boolean keystoneConfigured = !r.ini.section(section).isEmpty();
        String strategy = r.string("portcullis", "auth_strategy", null);
        if (strategy == null) {
            return keystoneConfigured ? new AuthSettings(AuthStrategy.KEYSTONE, false, keystone(r, baseDir))
                    : AuthSettings.noAuth(false);
        }
        switch (strategy.toLowerCase(Locale.ROOT)) {
            case "noauth", "no-auth", "unauthenticated" -> {
                if (!r.ini.section(section).isEmpty()) {
                    LOG.warn("{}: [{}] is ignored because [portcullis] auth_strategy = {}", r.ini.source(), section,
                            strategy);
                }
                return AuthSettings.noAuth(true);
            }
            case "keystone" -> {
                return new AuthSettings(AuthStrategy.KEYSTONE, true, keystone(r, baseDir));
            }
            default -> throw r.invalid("portcullis", "auth_strategy", "must be keystone or noauth, got '" + strategy + "'");
        }
    }

    private static KeystoneSettings keystone(Reader r, Path baseDir) {
        String s = "keystone_authtoken";
        String authUrl = required(r, s, "auth_url");
        if (!authUrl.matches("https?://[^/\\s]+(/\\S*)?")) {
            throw r.invalid(s, "auth_url", "expected an http:// or https:// URL of Keystone, got '" + authUrl + "'");
        }
        String base = authUrl.replaceAll("/+$", "");
        if (base.endsWith("/v2.0")) {
            throw r.invalid(s, "auth_url", "names Keystone's v2.0 API, which no longer exists; use the v3 URL");
        }
        URI identity = URI.create(base.endsWith("/v3") ? base : base + "/v3");
        String authType = r.string(s, "auth_type", "password");
        if (!authType.equals("password") && !authType.equals("v3password")) {
            throw r.invalid(s, "auth_type", "'" + authType + "' is not supported; Portcullis logs in with "
                    + "auth_type = password (username, password, project_name)");
        }
        if (r.bool(s, "insecure", false)) {
            throw r.invalid(s, "insecure", "is refused: an unverified Keystone connection lets anyone in the path "
                    + "forge identities; trust its CA with cafile instead");
        }
        for (String key : List.of("certfile", "keyfile")) {
            if (r.has(s, key)) {
                throw r.invalid(s, key, "client certificates towards Keystone are not supported");
            }
        }
        Path caFile = r.path(s, "cafile", baseDir, null);
        if (caFile != null && !java.nio.file.Files.isRegularFile(caFile)) {
            throw r.invalid(s, "cafile", "names " + caFile + ", which does not exist");
        }
        String www = r.string(s, "www_authenticate_uri", r.string(s, "auth_uri", base));
        int cacheTime = r.integer(s, "token_cache_time", 300, -1, 86_400);
        int connect = r.integer(s, "http_connect_timeout", 5, 1, 600);
        return new KeystoneSettings(identity, www, required(r, s, "username"), required(r, s, "password"),
                domain(r, s, "user_domain"), required(r, s, "project_name"), domain(r, s, "project_domain"),
                new java.util.LinkedHashSet<>(r.list(s, "service_token_roles", List.of("service"))),
                r.bool(s, "service_token_roles_required", false),
                Duration.ofSeconds(Math.max(0, cacheTime)),
                r.integer("portcullis", "token_cache_size", 10_000, 1, 10_000_000),
                Duration.ofSeconds(connect),
                Duration.ofSeconds(r.integer("portcullis", "keystone_request_timeout", 10, 1, 600)), caFile);
    }

    private static KeystoneSettings.Domain domain(Reader r, String section, String prefix) {
        String id = r.string(section, prefix + "_id", null);
        String name = r.string(section, prefix + "_name", null);
        if (id != null && name != null) {
            throw r.invalid(section, prefix + "_id", "set either " + prefix + "_id or " + prefix + "_name, not both");
        }
        return id != null ? new KeystoneSettings.Domain(id, null)
                : new KeystoneSettings.Domain(null, name == null ? "Default" : name);
    }

    private static String required(Reader r, String section, String key) {
        String v = r.string(section, key, null);
        if (v == null) {
            throw new ConfigException(r.ini.source() + ": [" + section + "] " + key
                    + " is required for Keystone authentication (auth_strategy = keystone)");
        }
        return v;
    }

    private static PortcullisConfig.PolicySettings policy(Reader r, Path baseDir) {
        Path file = r.path("oslo_policy", "policy_file", baseDir, null);
        if (file != null && !java.nio.file.Files.isRegularFile(file)) {
            throw r.invalid("oslo_policy", "policy_file", "names " + file + ", which does not exist");
        }
        return new PortcullisConfig.PolicySettings(r.bool("oslo_policy", "enforce_new_defaults", true),
                r.bool("oslo_policy", "enforce_scope", true), file);
    }

    private static StoreSettings stores(Reader r, Path baseDir) {
        boolean multiple = r.bool("secretstore", "enable_multiple_secret_stores", false);
        KekSource sharedKek = kekSource(r, "simple_crypto_plugin", baseDir);
        List<StoreSettings.Store> stores = new ArrayList<>();
        if (!multiple) {
            List<String> plugins = r.list("secretstore", "enabled_secretstore_plugins", List.of("store_crypto"));
            List<String> cryptos = r.list("crypto", "enabled_crypto_plugins", List.of("simple_crypto"));
            if (plugins.size() != 1) {
                throw r.invalid("secretstore", "enabled_secretstore_plugins",
                        "exactly one plugin is used when enable_multiple_secret_stores is False");
            }
            String crypto = cryptos.isEmpty() ? null : cryptos.get(0);
            StoreSettings.Store only = new StoreSettings.Store("default", plugins.get(0), crypto, true, sharedKek);
            checkPlugins(r, "secretstore", only);
            stores.add(only);
            return new StoreSettings(false, stores);
        }
        List<String> suffixes = r.list("secretstore", "stores_lookup_suffix", List.of());
        if (suffixes.isEmpty()) {
            throw r.invalid("secretstore", "stores_lookup_suffix",
                    "enable_multiple_secret_stores is True, so list the store names ([secretstore:NAME] sections)");
        }
        for (String name : suffixes) {
            String section = STORE_SECTION_PREFIX + name;
            if (!r.ini.sections().containsKey(section)) {
                throw r.invalid("secretstore", "stores_lookup_suffix", "names store '" + name + "' but there is no ["
                        + section + "] section");
            }
            String plugin = r.string(section, "secret_store_plugin", null);
            if (plugin == null) {
                throw r.invalid(section, "secret_store_plugin", "is required");
            }
            String crypto = r.string(section, "crypto_plugin", null);
            KekSource kek = r.has(section, "kek") || r.has(section, "kek_file") ? kekSource(r, section, baseDir) : sharedKek;
            StoreSettings.Store store = new StoreSettings.Store(name, plugin, crypto,
                    r.bool(section, "global_default", false), kek);
            checkPlugins(r, section, store);
            stores.add(store);
        }
        for (String section : r.ini.sections().keySet()) {
            if (section.startsWith(STORE_SECTION_PREFIX) && !suffixes.contains(section.substring(STORE_SECTION_PREFIX.length()))) {
                throw new ConfigException(r.ini.source() + ": [" + section + "] is not listed in [secretstore] "
                        + "stores_lookup_suffix; add it there or remove the section");
            }
        }
        long defaults = stores.stream().filter(StoreSettings.Store::globalDefault).count();
        if (defaults != 1) {
            throw r.invalid("secretstore", "stores_lookup_suffix", "exactly one [secretstore:NAME] must set "
                    + "global_default = True (found " + defaults + ")");
        }
        return new StoreSettings(true, stores);
    }

    private static void checkPlugins(Reader r, String section, StoreSettings.Store store) {
        switch (store.storePlugin()) {
            case "store_crypto" -> {
                String crypto = store.cryptoPlugin() == null ? "simple_crypto" : store.cryptoPlugin();
                if (!crypto.equals("simple_crypto")) {
                    throw r.invalid(section, "crypto_plugin", "'" + crypto + "' is not available in this build; "
                            + "supported: simple_crypto");
                }
                if (store.kek() == null) {
                    throw r.invalid(section, "crypto_plugin", "simple_crypto needs a master KEK: set kek_file (or kek) "
                            + "in [simple_crypto_plugin] or in [" + section + "]");
                }
            }
            case "dogtag_plugin", "dogtag_crypto" -> throw r.invalid(section, "secret_store_plugin",
                    "Dogtag KRA cannot be installed on Debian bookworm and is not supported by Portcullis");
            default -> throw r.invalid(section, "secret_store_plugin", "'" + store.storePlugin()
                    + "' is not available in this build; supported: store_crypto");
        }
    }

    private static KekSource kekSource(Reader r, String section, Path baseDir) {
        boolean inline = r.has(section, "kek");
        boolean file = r.has(section, "kek_file");
        if (inline && file) {
            throw r.invalid(section, "kek", "set either kek or kek_file, not both");
        }
        if (file) {
            return new KekSource("[" + section + "] kek_file", r.path(section, "kek_file", baseDir, null), null);
        }
        if (inline) {
            LOG.warn("{}: [{}] kek holds the master KEK in the configuration file itself; prefer kek_file "
                    + "(mode 0400) so the key stays out of config copies and backups", r.ini.source(), section);
            return new KekSource("[" + section + "] kek", null, r.string(section, "kek", null));
        }
        return null;
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
                Set<String> known = name.startsWith(STORE_SECTION_PREFIX) ? STORE_KEYS : KNOWN.get(name);
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
