package org.portcullis.stores.vault;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.portcullis.config.StoreOptions;

/**
 * The options of one Vault store, as Barbican's {@code [vault_plugin]} and Castellan's
 * {@code [vault]} name them (same keys, same defaults): {@code vault_url}
 * ({@code http://127.0.0.1:8200}), {@code root_token_id} or {@code approle_role_id} +
 * {@code approle_secret_id}, {@code kv_mountpoint} ({@code secret}), {@code kv_path} (none),
 * {@code kv_version} (2), {@code use_ssl}, {@code ssl_ca_crt_file}, {@code namespace} and
 * {@code timeout} (60 s). Castellan's newer {@code auth_method}/{@code auth_path} are read too:
 * AppRole is the only login method here ({@code jwt} and {@code kubernetes} are refused by name).
 *
 * <p>Stricter than Barbican where it protects a credential: {@code use_ssl = True} or a CA file
 * with an {@code http://} URL would send the token in clear while the operator believes TLS is
 * on, so both are refused.
 */
public record VaultSettings(URI url, Optional<String> rootToken, Optional<String> roleId, Optional<String> secretId,
        String authPath, String mount, String kvPath, int kvVersion, Optional<Path> caFile, Optional<String> namespace,
        Duration timeout) {

    /** Path segments Vault treats literally; no {@code ..}, no empty segment, no query or fragment. */
    private static final String SEGMENT = "[A-Za-z0-9_][A-Za-z0-9_.-]*";

    public VaultSettings {
        rootToken = rootToken.filter(s -> !s.isBlank());
    }

    public boolean appRole() {
        return rootToken.isEmpty();
    }

    public static VaultSettings fromOptions(StoreOptions o) {
        String rawUrl = o.string("vault_url", "http://127.0.0.1:8200").strip();
        URI url;
        try {
            url = new URI(rawUrl.endsWith("/") ? rawUrl.substring(0, rawUrl.length() - 1) : rawUrl);
        } catch (URISyntaxException e) {
            throw o.invalid("vault_url", "is not a URL: " + e.getMessage());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw o.invalid("vault_url", "expected http://HOST:PORT or https://HOST:PORT, got '" + rawUrl + "'");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw o.invalid("vault_url", "must not carry a query or fragment");
        }
        boolean https = scheme.equals("https");
        if (o.bool("use_ssl", false) && !https) {
            throw o.invalid("use_ssl", "is True but vault_url is " + rawUrl + "; write https:// so the Vault token "
                    + "is not sent in clear");
        }
        Optional<Path> ca = o.path("ssl_ca_crt_file");
        if (ca.isPresent()) {
            if (!https) {
                throw o.invalid("ssl_ca_crt_file", "is set but vault_url is " + rawUrl + "; write https://");
            }
            if (!Files.isReadable(ca.get())) {
                throw o.invalid("ssl_ca_crt_file", "names " + ca.get() + ", which cannot be read");
            }
        }

        String method = o.string("auth_method", "approle").strip().toLowerCase(Locale.ROOT);
        Optional<String> root = o.string("root_token_id");
        if (root.isEmpty() && !method.equals("approle")) {
            throw o.invalid("auth_method", "'" + method + "' is not supported by Portcullis; use root_token_id or "
                    + "AppRole (approle_role_id + approle_secret_id)");
        }
        for (String jwtOnly : new String[] {"token_role", "token_file"}) {
            if (o.has(jwtOnly)) {
                throw o.invalid(jwtOnly, "belongs to the jwt/kubernetes login methods, which Portcullis does not "
                        + "support; use root_token_id or AppRole");
            }
        }
        Optional<String> roleId = o.string("approle_role_id");
        if (root.isEmpty() && roleId.isEmpty()) {
            throw o.invalid("root_token_id", "or approle_role_id (with approle_secret_id) is required to log in to Vault");
        }
        String authPath = o.string("auth_path", "approle").strip();
        if (!authPath.matches(SEGMENT + "(/" + SEGMENT + ")*")) {
            throw o.invalid("auth_path", "must be a Vault mount path such as approle, got '" + authPath + "'");
        }

        String mount = stripSlashes(o.string("kv_mountpoint", "secret"));
        if (!mount.matches(SEGMENT + "(/" + SEGMENT + ")*")) {
            throw o.invalid("kv_mountpoint", "must be a Vault mount path such as secret, got '" + mount + "'");
        }
        String kvPath = stripSlashes(o.string("kv_path", ""));
        if (!kvPath.isEmpty() && !kvPath.matches(SEGMENT + "(/" + SEGMENT + ")*")) {
            throw o.invalid("kv_path", "must be a path of letters, digits, '_', '-' and '.' separated by '/', got '"
                    + kvPath + "'");
        }
        int kvVersion = o.integer("kv_version", 2, 1, 2);

        Optional<String> namespace = o.string("namespace").map(VaultSettings::stripSlashes).filter(s -> !s.isEmpty());
        if (namespace.isPresent() && !namespace.get().matches(SEGMENT + "(/" + SEGMENT + ")*")) {
            throw o.invalid("namespace", "must be a Vault namespace path such as team/prod");
        }
        Duration timeout = timeout(o);
        return new VaultSettings(url, root, roleId, o.string("approle_secret_id"), authPath, mount, kvPath, kvVersion,
                ca, namespace, timeout);
    }

    private static Duration timeout(StoreOptions o) {
        Optional<String> v = o.string("timeout");
        if (v.isEmpty()) {
            return Duration.ofSeconds(60); // Castellan's default
        }
        try {
            double seconds = Double.parseDouble(v.get().strip());
            if (!(seconds > 0 && seconds <= 3600)) {
                throw o.invalid("timeout", "must be between 0 and 3600 seconds, got " + v.get());
            }
            return Duration.ofMillis(Math.max(1, Math.round(seconds * 1000)));
        } catch (NumberFormatException e) {
            throw o.invalid("timeout", "expected a number of seconds, got '" + v.get() + "'");
        }
    }

    private static String stripSlashes(String s) {
        String t = s.strip();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    /** For logs and messages: never the token or the AppRole secret. */
    @Override
    public String toString() {
        return "VaultSettings[url=" + url + ", auth=" + (appRole() ? "approle(" + authPath + ")" : "token") + ", mount="
                + mount + ", kv_path=" + kvPath + ", kv_version=" + kvVersion + ", namespace=" + namespace.orElse("")
                + ", timeout=" + timeout + "]";
    }
}
