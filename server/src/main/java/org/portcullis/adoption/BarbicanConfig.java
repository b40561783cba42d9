package org.portcullis.adoption;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portcullis.config.ConfigException;
import org.portcullis.config.IniFile;

/**
 * What the import needs from a Barbican configuration file: where its database is, the master
 * KEK of its {@code simple_crypto} plugin, and which secret stores it has. Barbican reads the same
 * keys ({@code sql_connection} in {@code [DEFAULT]} or {@code connection} in {@code [database]};
 * {@code [simple_crypto_plugin] kek}; {@code [secretstore:NAME]} sections listed in
 * {@code stores_lookup_suffix}; the plugin sections), so the file the operator already has is the
 * only input.
 *
 * @param kek the base64 master KEK, or null when simple_crypto is not configured (Barbican's
 *     built-in default KEK is not assumed: a deployment running on it must say so explicitly)
 * @param stores the configured stores; with multiple stores off, the one {@code [secretstore]} /
 *     {@code [crypto]} plugin pair
 */
public record BarbicanConfig(Path file, String sqlConnection, String kek, boolean multipleStores,
        List<Store> stores, Map<String, Map<String, String>> pluginSections) {

    /** A {@code [secretstore:NAME]} section (or the single store of a non-multi-store deployment). */
    public record Store(String suffix, String storePlugin, String cryptoPlugin, boolean globalDefault) {}

    static final List<String> PLUGIN_SECTIONS = List.of("simple_crypto_plugin", "kmip_plugin", "vault_plugin",
            "p11_crypto_plugin");

    public static BarbicanConfig read(Path file) {
        return from(file, IniFile.read(file));
    }

    static BarbicanConfig from(Path file, IniFile ini) {
        String connection = value(ini, "database", "connection");
        if (connection == null) {
            connection = value(ini, "DEFAULT", "sql_connection");
        }
        if (connection == null) {
            throw new ConfigException(file + ": no database: neither [database] connection nor [DEFAULT] "
                    + "sql_connection is set");
        }
        boolean multiple = "true".equalsIgnoreCase(value(ini, "secretstore", "enable_multiple_secret_stores"));
        List<Store> stores = new ArrayList<>();
        if (multiple) {
            String suffixes = value(ini, "secretstore", "stores_lookup_suffix");
            if (suffixes == null) {
                throw new ConfigException(file + ": [secretstore] enable_multiple_secret_stores is on but "
                        + "stores_lookup_suffix is not set");
            }
            for (String suffix : suffixes.split("[,\\s]+")) {
                if (suffix.isBlank()) {
                    continue;
                }
                String section = "secretstore:" + suffix.strip();
                String plugin = value(ini, section, "secret_store_plugin");
                if (plugin == null) {
                    throw new ConfigException(file + ": [" + section + "] is listed in stores_lookup_suffix but has "
                            + "no secret_store_plugin");
                }
                stores.add(new Store(suffix.strip(), plugin, value(ini, section, "crypto_plugin"),
                        "true".equalsIgnoreCase(value(ini, section, "global_default"))));
            }
        } else {
            String plugin = first(value(ini, "secretstore", "enabled_secretstore_plugins"), "store_crypto");
            String crypto = plugin.equals("store_crypto")
                    ? first(value(ini, "crypto", "enabled_crypto_plugins"), "simple_crypto") : null;
            stores.add(new Store("default", plugin, crypto, true));
        }
        Map<String, Map<String, String>> plugins = new LinkedHashMap<>();
        for (String name : PLUGIN_SECTIONS) {
            Map<String, String> values = new LinkedHashMap<>();
            ini.section(name).forEach((k, v) -> values.put(k, v.value()));
            plugins.put(name, Map.copyOf(values));
        }
        return new BarbicanConfig(file, connection, value(ini, "simple_crypto_plugin", "kek"), multiple,
                List.copyOf(stores), Map.copyOf(plugins));
    }

    private static String first(String listValue, String fallback) {
        if (listValue == null || listValue.isBlank()) {
            return fallback;
        }
        return listValue.split("[,\\s]+")[0].strip();
    }

    private static String value(IniFile ini, String section, String key) {
        IniFile.Entry e = ini.section(section).get(key);
        return e == null || e.value().isBlank() ? null : e.value().strip();
    }

    /** The options of one plugin section ({@code kmip_plugin} …), empty when absent. */
    public Map<String, String> plugin(String section) {
        return pluginSections.getOrDefault(section, Map.of());
    }

    @Override
    public String toString() {
        // The KEK stays out of logs and exception messages.
        return "BarbicanConfig[" + file + ", " + stores.size() + " store(s)" + (kek == null ? "" : ", kek set") + "]";
    }
}
