package org.portcullis.stores;

import java.time.Clock;
import org.portcullis.config.ConfigException;
import org.portcullis.config.PortcullisConfig.StoreSettings;
import org.portcullis.db.Database;
import org.portcullis.stores.kmip.KmipSettings;
import org.portcullis.stores.kmip.KmipStore;
import org.portcullis.stores.pkcs11.Pkcs11Store;
import org.portcullis.stores.software.MasterKeyring;
import org.portcullis.stores.software.SoftwareStore;
import org.portcullis.stores.vault.VaultSettings;
import org.portcullis.stores.vault.VaultStore;

/**
 * Turns a configured store into a running one, by plugin. The configuration loader has already
 * checked that the plugin exists and that its section's keys are known; each plugin parses and
 * checks its own options ({@link StoreSettings.Store#options()}) here and refuses to start, with
 * a message that names the key, when its backend is unusable.
 */
final class StorePlugins {
    private StorePlugins() {}

    static SecretStore open(StoreSettings.Store configured, StoreInfo info, Database db, Clock clock) {
        String plugin = configured.storePlugin()
                + (configured.cryptoPlugin() == null ? "" : "/" + configured.cryptoPlugin());
        return switch (plugin) {
            case "store_crypto/simple_crypto" -> {
                MasterKeyring ring = MasterKeyring.load(configured);
                MasterKeyCheck.verify(db, info, ring.checkKeys(), clock);
                yield new SoftwareStore(info, ring, db, clock);
            }
            case "vault_plugin" -> new VaultStore(info, VaultSettings.fromOptions(configured.options()), clock);
            case "store_crypto/p11_crypto" -> Pkcs11Store.open(info, configured.options(), db, clock);
            case "kmip_plugin" -> new KmipStore(info, KmipSettings.fromOptions(configured.options()));
            default -> throw new ConfigException("secret store '" + configured.name() + "': plugin " + plugin
                    + " is not available in this build");
        };
    }
}
