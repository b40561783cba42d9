package org.portcullis.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.portcullis.config.PortcullisConfig.KekSource;
import org.portcullis.config.PortcullisConfig.StoreSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [secretstore]}, {@code [crypto]}, the {@code [secretstore:NAME]} sections and each
 * store's plugin options, checked against the plugins this build has.
 */
final class StoreSettingsReader {
    // Logged as the loader, where operators and tests look for configuration warnings.
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private StoreSettingsReader() {}

    static StoreSettings read(ConfigLoader.Reader r, Path baseDir) {
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
            String crypto = plugins.get(0).equals("store_crypto") ? (cryptos.isEmpty() ? null : cryptos.get(0)) : null;
            StoreSettings.Store only = new StoreSettings.Store("default", plugins.get(0), crypto, true,
                    "simple_crypto".equals(crypto) ? sharedKek : null,
                    options(r, null, plugins.get(0), crypto, baseDir));
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
            String section = ConfigLoader.STORE_SECTION_PREFIX + name;
            if (!r.ini.sections().containsKey(section)) {
                throw r.invalid("secretstore", "stores_lookup_suffix", "names store '" + name + "' but there is no ["
                        + section + "] section");
            }
            String plugin = r.string(section, "secret_store_plugin", null);
            if (plugin == null) {
                throw r.invalid(section, "secret_store_plugin", "is required");
            }
            String crypto = r.string(section, "crypto_plugin", ConfigLoader.defaultCrypto(plugin));
            KekSource kek = !"simple_crypto".equals(crypto) ? null
                    : r.has(section, "kek") || r.has(section, "kek_file") ? kekSource(r, section, baseDir) : sharedKek;
            StoreSettings.Store store = new StoreSettings.Store(name, plugin, crypto,
                    r.bool(section, "global_default", false), kek, options(r, section, plugin, crypto, baseDir));
            checkPlugins(r, section, store);
            stores.add(store);
        }
        for (String section : r.ini.sections().keySet()) {
            if (section.startsWith(ConfigLoader.STORE_SECTION_PREFIX) && !suffixes.contains(section.substring(ConfigLoader.STORE_SECTION_PREFIX.length()))) {
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



    private static void checkPlugins(ConfigLoader.Reader r, String section, StoreSettings.Store store) {
        if (store.storePlugin().startsWith("dogtag") || "dogtag_crypto".equals(store.cryptoPlugin())) {
            throw r.invalid(section, "secret_store_plugin",
                    "Dogtag KRA cannot be installed on Debian bookworm and is not supported by Portcullis");
        }
        if (ConfigLoader.pluginSection(store.storePlugin(), store.cryptoPlugin()).isEmpty()) {
            String supported = String.join(", ", ConfigLoader.PLUGIN_SECTIONS.stream()
                    .map(p -> p.cryptoPlugin() == null ? p.storePlugin() : p.storePlugin() + " + " + p.cryptoPlugin())
                    .toList());
            boolean storeKnown = ConfigLoader.PLUGIN_SECTIONS.stream().anyMatch(p -> p.storePlugin().equals(store.storePlugin()));
            String key = storeKnown ? "crypto_plugin" : "secret_store_plugin";
            String named = storeKnown ? store.cryptoPlugin() : store.storePlugin();
            throw r.invalid(section, key, "'" + named + "' is not available in this build; supported: " + supported);
        }
        if ("simple_crypto".equals(store.cryptoPlugin()) && store.kek() == null) {
            throw r.invalid(section, "crypto_plugin", "simple_crypto needs a master KEK: set kek_file (or kek) "
                    + "in [simple_crypto_plugin] or in [" + section + "]");
        }
    }

    /** The store's plugin options: its plugin section, overridden by its own store section. */
    private static StoreOptions options(ConfigLoader.Reader r, String storeSection, String storePlugin, String crypto, Path baseDir) {
        java.util.Map<String, StoreOptions.Value> values = new java.util.LinkedHashMap<>();
        ConfigLoader.pluginSection(storePlugin, crypto).ifPresent(p -> {
            for (String key : p.keys()) {
                IniFile.Entry e = r.ini.section(p.section()).get(key);
                if (e != null) {
                    values.put(key, new StoreOptions.Value(e.value(), p.section(), e.line()));
                }
                IniFile.Entry own = storeSection == null ? null : r.ini.section(storeSection).get(key);
                if (own != null) {
                    values.put(key, new StoreOptions.Value(own.value(), storeSection, own.line()));
                }
            }
        });
        return new StoreOptions(r.ini.source(), baseDir, values);
    }

    private static KekSource kekSource(ConfigLoader.Reader r, String section, Path baseDir) {
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
}
