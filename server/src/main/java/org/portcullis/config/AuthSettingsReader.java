package org.portcullis.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.portcullis.config.PortcullisConfig.AuthSettings;
import org.portcullis.config.PortcullisConfig.AuthStrategy;
import org.portcullis.config.PortcullisConfig.KeystoneSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code [portcullis] auth_strategy} and {@code [keystone_authtoken]}. */
final class AuthSettingsReader {
    // Logged as the loader, where operators and tests look for configuration warnings.
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private AuthSettingsReader() {}

    /**
     * {@code [portcullis] auth_strategy = keystone | noauth}; without it, Keystone when there is a
     * {@code [keystone_authtoken]} section (an incomplete one is an error, never a silent fall back
     * to no-auth), else no-auth (said loudly at start).
     */
    static AuthSettings read(ConfigLoader.Reader r, Path baseDir) {
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

    private static KeystoneSettings keystone(ConfigLoader.Reader r, Path baseDir) {
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

    private static KeystoneSettings.Domain domain(ConfigLoader.Reader r, String section, String prefix) {
        String id = r.string(section, prefix + "_id", null);
        String name = r.string(section, prefix + "_name", null);
        if (id != null && name != null) {
            throw r.invalid(section, prefix + "_id", "set either " + prefix + "_id or " + prefix + "_name, not both");
        }
        return id != null ? new KeystoneSettings.Domain(id, null)
                : new KeystoneSettings.Domain(null, name == null ? "Default" : name);
    }

    private static String required(ConfigLoader.Reader r, String section, String key) {
        String v = r.string(section, key, null);
        if (v == null) {
            throw new ConfigException(r.ini.source() + ": [" + section + "] " + key
                    + " is required for Keystone authentication (auth_strategy = keystone)");
        }
        return v;
    }
}
