package org.portcullis.config;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The configuration keys whose value is itself a secret: a configuration file holding any of
 * them must be readable by its owner only, so the server refuses to start otherwise
 * ({@link FilePermissions#requireNotWorldReadableIfSecret}). One table, so a new plugin's
 * password is added here and nowhere else.
 *
 * <table>
 * <caption>Secret-bearing keys</caption>
 * <tr><th>section</th><th>key</th><th>holds</th></tr>
 * <tr><td>[simple_crypto_plugin], [secretstore:NAME]</td><td>kek</td><td>a master KEK</td></tr>
 * <tr><td>[keystone_authtoken]</td><td>password</td><td>the service user's Keystone password</td></tr>
 * <tr><td>[keystone_authtoken]</td><td>memcache_secret_key</td><td>the token cache's key</td></tr>
 * <tr><td>[service_user]</td><td>password</td><td>the service user's Keystone password</td></tr>
 * <tr><td>[p11_crypto_plugin], [secretstore:NAME]</td><td>login</td><td>the HSM user PIN</td></tr>
 * <tr><td>[kmip_plugin], [secretstore:NAME]</td><td>password</td><td>the KMIP server password</td></tr>
 * <tr><td>[vault_plugin], [secretstore:NAME]</td><td>root_token_id, approle_secret_id</td><td>a Vault token or AppRole secret</td></tr>
 * <tr><td>[DEFAULT] sql_connection, [database] connection</td><td></td><td>a database password, when the URL has one</td></tr>
 * <tr><td>[DEFAULT] transport_url</td><td></td><td>a message-bus password, when the URL has one</td></tr>
 * </table>
 */
public final class SecretKeys {
    /** {@code scheme://user:password@host} or {@code ...?password=...}. */
    private static final Pattern URL_PASSWORD = Pattern.compile(
            "^[A-Za-z][A-Za-z0-9+.:-]*://[^/@:]*:[^/@]+@.*|.*[?&]password=[^&]+.*");

    private static final Predicate<String> ALWAYS = v -> !v.isBlank();
    private static final Predicate<String> URL_WITH_PASSWORD = v -> URL_PASSWORD.matcher(v).matches();

    /** One row: which sections (a trailing ':' matches every section with that prefix), the key, what it holds. */
    private record Rule(List<String> sections, String key, String what, Predicate<String> secretWhen) {
        boolean matches(String section, String k, String value) {
            if (!key.equals(k) || !secretWhen.test(value)) {
                return false;
            }
            return sections.stream().anyMatch(s -> s.endsWith(":") ? section.startsWith(s) : section.equals(s));
        }
    }

    private static final String STORES = ConfigLoader.STORE_SECTION_PREFIX;

    private static final List<Rule> RULES = List.of(
            new Rule(List.of("simple_crypto_plugin", STORES), "kek", "a master KEK", ALWAYS),
            new Rule(List.of("keystone_authtoken", "service_user"), "password", "a Keystone password", ALWAYS),
            new Rule(List.of("keystone_authtoken"), "memcache_secret_key", "the token cache key", ALWAYS),
            new Rule(List.of("p11_crypto_plugin", STORES), "login", "an HSM PIN", ALWAYS),
            new Rule(List.of("kmip_plugin", STORES), "password", "a KMIP password", ALWAYS),
            new Rule(List.of("vault_plugin", STORES), "root_token_id", "a Vault token", ALWAYS),
            new Rule(List.of("vault_plugin", STORES), "approle_secret_id", "a Vault AppRole secret", ALWAYS),
            new Rule(List.of("DEFAULT"), "sql_connection", "a database password", URL_WITH_PASSWORD),
            new Rule(List.of("database"), "connection", "a database password", URL_WITH_PASSWORD),
            new Rule(List.of("DEFAULT"), "transport_url", "a message-bus password", URL_WITH_PASSWORD));

    /** Where a secret was found; never carries the value. */
    public record Found(String section, String key, String what) {}

    private SecretKeys() {}

    /** The first secret-bearing key in {@code ini}, or null when it holds none. */
    public static Found first(IniFile ini) {
        for (Map.Entry<String, Map<String, IniFile.Entry>> section : ini.sections().entrySet()) {
            for (Map.Entry<String, IniFile.Entry> e : section.getValue().entrySet()) {
                for (Rule rule : RULES) {
                    if (rule.matches(section.getKey(), e.getKey(), e.getValue().value())) {
                        return new Found(section.getKey(), e.getKey(), rule.what());
                    }
                }
            }
        }
        return null;
    }
}
