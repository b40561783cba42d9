package org.portcullis.adoption;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.portcullis.secrets.PayloadFormats;
import org.portcullis.secrets.Secret;
import org.portcullis.secrets.SecretType;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoredRef;
import org.portcullis.stores.kmip.KmipStore;
import org.portcullis.stores.vault.VaultStore;

/**
 * The per-secret work of an import, run by several worker threads at once: decrypt a payload
 * with Barbican's keys (simple_crypto) and seal it into the target store, or adopt its KMIP or Vault
 * reference (the object stays where Barbican put it); either way read it back through that store
 * and compare byte for byte. Holds nothing between secrets but
 * the batch's sealers; the plaintext exists only inside {@link #seal}.
 */
final class PayloadImport {
    private final StoreRouting routing;
    private final SimpleCryptoKeys keys;
    private final ImportReport report;

    PayloadImport(StoreRouting routing, SimpleCryptoKeys keys, ImportReport report) {
        this.routing = routing;
        this.keys = keys;
        this.report = report;
    }

    /**
     * The sealers of one batch, one per target store ({@link SecretStore#batchSealer}).
     */
    static final class Sealers {
        private final Map<SecretStore, BiFunction<SecretBinding, byte[], StoredRef>> byStore = new ConcurrentHashMap<>();

        StoredRef store(SecretStore store, SecretBinding binding, byte[] plaintext) {
            return byStore.computeIfAbsent(store, SecretStore::batchSealer)
                    .apply(binding, plaintext);
        }
    }

    static boolean hasPayload(BarbicanRows.Secret s) {
        return s.encrypted() != null || s.storeMeta().containsKey("key_uuid") || s.storeMeta().containsKey("key_id");
    }

    /** The row to write for {@code s}, its payload sealed and verified; null (and a skip with the reason) when it cannot be imported. */
    Secret prepare(BarbicanRows.Secret s, Secret current, Sealers sealers) {
        SecretType type;
        try {
            type = SecretType.fromApi(s.secretType());
        } catch (RuntimeException e) {
            report.skip(SecretImport.TYPE, s.id(), s.projectId(), "unknown secret type " + s.secretType());
            return null;
        }
        String storePlugin = StoreRouting.storePlugin(s.storePlugin());
        String cryptoPlugin = s.encrypted() == null ? null : StoreRouting.cryptoPlugin(s.encrypted().kekPlugin());
        SecretStore store = hasPayload(s) ? routing.target(storePlugin, cryptoPlugin)
                : routing.target("store_crypto", "simple_crypto");
        if (store == null) {
            report.skip(SecretImport.TYPE, s.id(), s.projectId(), "no Portcullis store for Barbican's " + storePlugin
                    + (cryptoPlugin == null ? "" : "/" + cryptoPlugin) + " (configure one or use --store-map)");
            return null;
        }
        SecretBinding binding = new SecretBinding(s.id(), s.projectId(), store.info().id());
        StoredRef stored = null;
        if (hasPayload(s)) {
            try {
                stored = seal(s, store, binding, storePlugin, cryptoPlugin, sealers);
            } catch (Fernet.InvalidToken e) {
                report.skip(SecretImport.TYPE, s.id(), s.projectId(), "payload does not decrypt with Barbican's KEK: "
                        + e.getMessage());
                return null;
            } catch (StoreException | Unsupported e) {
                report.skip(SecretImport.TYPE, s.id(), s.projectId(), e.getMessage());
                return null;
            }
        }
        String contentType = stored == null ? null : PayloadFormats.normalize(s.contentType());
        return new Secret(s.id(), s.projectId(), s.creatorId(), s.name(), type, s.algorithm(), s.bitLength(),
                s.mode(), s.expiration(), s.status(), current != null ? current.storeId() : store.info().id(),
                contentType, stored, s.createdAt(), s.updatedAt());
    }

    private StoredRef seal(BarbicanRows.Secret s, SecretStore store, SecretBinding binding, String storePlugin,
            String cryptoPlugin, Sealers sealers) throws Fernet.InvalidToken {
        if ("store_crypto".equals(storePlugin) && "simple_crypto".equals(cryptoPlugin)) {
            byte[] plaintext = keys.payload(s.encrypted());
            try {
                StoredRef ref = sealers.store(store, binding, plaintext);
                byte[] back = store.retrieve(binding, ref);
                boolean same = Arrays.equals(back, plaintext);
                Arrays.fill(back, (byte) 0);
                if (!same) {
                    throw new Unsupported("read-back through store '" + store.info().name()
                            + "' returned other bytes than Barbican's; not imported");
                }
                return ref;
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
        if ("kmip_plugin".equals(storePlugin) && store instanceof KmipStore && s.storeMeta().get("key_uuid") != null) {
            StoredRef ref = KmipStore.adoptedRef(s.id(), s.storeMeta().get("key_uuid"));
            byte[] back = store.retrieve(binding, ref); // the object exists and this node can read it
            Arrays.fill(back, (byte) 0);
            return ref;
        }
        if ("vault_plugin".equals(storePlugin) && store instanceof VaultStore && s.storeMeta().get("key_id") != null) {
            if (s.storeMeta().get("version") == null) {
                throw new Unsupported("a Vault entry of Barbican's legacy castellan format (no metadata version: its "
                        + "payload may or may not be base64 inside) is not imported");
            }
            StoredRef ref = VaultStore.adoptedRef(s.id(), routing.barbicanVaultMount(), s.storeMeta().get("key_id"));
            byte[] back = store.retrieve(binding, ref); // the entry exists on this node's Vault and reads
            Arrays.fill(back, (byte) 0);
            return ref;
        }
        if ("p11_crypto".equals(cryptoPlugin)) {
            throw new Unsupported("Barbican p11_crypto payloads are not imported: Portcullis' PKCS#11 store does not "
                    + "unwrap Barbican's project KEKs (see README, Moving from Barbican)");
        }
        throw new Unsupported("payloads of Barbican's " + storePlugin + (cryptoPlugin == null ? "" : "/" + cryptoPlugin)
                + " into Portcullis store '" + store.info().name() + "' (" + store.info().storePlugin()
                + ") are not supported");
    }

    /** A payload this import cannot carry over; the secret is skipped with this reason. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message);
        }
    }
}
