package org.portcullis.adoption;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;

/**
 * Which Portcullis store receives the secrets of each Barbican store. A Barbican store is named in
 * {@code --store-map} by its {@code secret_stores} name ("Software Only Crypto"), its id, or its
 * {@code [secretstore:SUFFIX]}; the value is a Portcullis store name. Unmapped: simple_crypto
 * payloads go to the global default, KMIP references to the one Portcullis kmip_plugin store.
 */
final class StoreRouting {
    /** Barbican's store plugin classes (secret_store_metadata plugin_name) and crypto plugin classes. */
    static String storePlugin(String pluginClass) {
        if (pluginClass == null) {
            return null;
        }
        if (pluginClass.endsWith("StoreCryptoAdapterPlugin")) {
            return "store_crypto";
        }
        if (pluginClass.endsWith("KMIPSecretStore")) {
            return "kmip_plugin";
        }
        if (pluginClass.contains("castellan") || pluginClass.contains("Vault")) {
            return "vault_plugin";
        }
        return pluginClass;
    }

    static String cryptoPlugin(String pluginClass) {
        if (pluginClass == null) {
            return null;
        }
        if (pluginClass.endsWith("SimpleCryptoPlugin")) {
            return "simple_crypto";
        }
        if (pluginClass.endsWith("P11CryptoPlugin")) {
            return "p11_crypto";
        }
        return pluginClass;
    }

    private final StoreRegistry registry;
    private final BarbicanConfig config;
    private final List<BarbicanRows.Store> barbicanStores;
    private final Map<String, String> storeMap;

    StoreRouting(StoreRegistry registry, BarbicanConfig config, List<BarbicanRows.Store> barbicanStores,
            Map<String, String> storeMap) {
        this.registry = registry;
        this.config = config;
        this.barbicanStores = barbicanStores;
        this.storeMap = storeMap;
        for (String target : storeMap.values()) {
            if (byName(target) == null) {
                throw new IllegalArgumentException("--store-map names Portcullis store '" + target
                        + "', which is not in the configuration");
            }
        }
    }

    /** The target for a Barbican (store plugin, crypto plugin) pair; null when there is none. */
    SecretStore target(String storePlugin, String cryptoPlugin) {
        for (String key : keys(storePlugin, cryptoPlugin)) {
            String target = storeMap.get(key);
            if (target != null) {
                return byName(target);
            }
        }
        if ("store_crypto".equals(storePlugin) && "simple_crypto".equals(cryptoPlugin)) {
            return registry.globalDefault();
        }
        List<SecretStore> same = registry.all().stream()
                .filter(s -> s.info().storePlugin().equals(storePlugin)
                        && Objects.equals(s.info().cryptoPlugin(), cryptoPlugin))
                .toList();
        return same.size() == 1 ? same.get(0) : null;
    }

    /** The KV mount Barbican's vault_plugin (castellan) writes to: its {@code kv_mountpoint}, default "secret". */
    String barbicanVaultMount() {
        return config.plugin("vault_plugin").getOrDefault("kv_mountpoint", "secret");
    }

    /** The Portcullis store for a Barbican secret_stores id (preferred stores); null when none. */
    SecretStore targetOfBarbicanStore(String barbicanStoreId) {
        return barbicanStores.stream().filter(s -> s.id().equals(barbicanStoreId)).findFirst()
                .map(s -> target(s.storePlugin(), s.cryptoPlugin())).orElse(null);
    }

    /** The names a Barbican store may be given by in --store-map. */
    private List<String> keys(String storePlugin, String cryptoPlugin) {
        List<String> keys = new ArrayList<>();
        for (BarbicanRows.Store s : barbicanStores) {
            if (s.storePlugin().equals(storePlugin) && Objects.equals(s.cryptoPlugin(), cryptoPlugin)) {
                keys.add(s.name());
                keys.add(s.id());
            }
        }
        for (BarbicanConfig.Store s : config.stores()) {
            if (s.storePlugin().equals(storePlugin) && Objects.equals(s.cryptoPlugin(), cryptoPlugin)) {
                keys.add(s.suffix());
            }
        }
        return keys;
    }

    private SecretStore byName(String name) {
        return registry.all().stream().filter(s -> s.info().name().equals(name)).findFirst().orElse(null);
    }
}
