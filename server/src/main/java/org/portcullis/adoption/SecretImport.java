package org.portcullis.adoption;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.portcullis.console.Progress;
import org.portcullis.db.Database;
import org.portcullis.secrets.PayloadFormats;
import org.portcullis.secrets.Secret;
import org.portcullis.secrets.SecretConsumer;
import org.portcullis.secrets.SecretRepository;
import org.portcullis.secrets.SecretType;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoredRef;
import org.portcullis.stores.kmip.KmipStore;

/**
 * Secrets, their user metadata and consumers. A new secret's payload is decrypted with Barbican's
 * keys (simple_crypto) or its KMIP reference kept, sealed by the target store, read back through
 * that store and compared byte for byte, and only then written, in batches of one transaction.
 * An existing secret with the same fields gets what changed since (payload of a two-step secret,
 * metadata, consumers); one deleted in Barbican is deleted.
 */
final class SecretImport {
    static final String TYPE = "secret";
    private static final int BATCH = 500;

    private final Database db;
    private final SecretRepository repo = new SecretRepository();
    private final StoreRouting routing;
    private final SimpleCryptoKeys keys;
    private final ImportReport report;
    private final Progress progress;
    private final boolean dryRun;

    SecretImport(Database db, StoreRouting routing, SimpleCryptoKeys keys, ImportReport report, Progress progress,
            boolean dryRun) {
        this.db = db;
        this.routing = routing;
        this.keys = keys;
        this.report = report;
        this.progress = progress;
        this.dryRun = dryRun;
    }

    /** A prepared row: what will be written for one new secret, or what changes for an existing one. */
    private record Prepared(BarbicanRows.Secret source, Secret row, boolean exists) {}

    /**
     * Refuses before anything is written: a master KEK that does not open a project KEK (naming the
     * first secret that cannot be decrypted), and ids that exist in Portcullis with other content.
     */
    void check(List<BarbicanRows.Secret> secrets) {
        for (BarbicanRows.Secret s : secrets) {
            if (!s.deleted() && s.encrypted() != null && SimpleCryptoKeys.PLUGIN.equals(s.encrypted().kekPlugin())) {
                try {
                    keys.projectKek(s.encrypted().kekId());
                } catch (Fernet.InvalidToken e) {
                    throw new ImportRefused("Barbican's [simple_crypto_plugin] kek does not decrypt secret " + s.id()
                            + " (project " + s.projectId() + "): " + e.getMessage() + ". Nothing was written.");
                }
            }
        }
        List<String> conflicts = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i += BATCH) {
            List<BarbicanRows.Secret> batch = secrets.subList(i, Math.min(secrets.size(), i + BATCH));
            Map<String, Secret> existing = db.read(h -> repo.findLive(h, batch.stream().map(BarbicanRows.Secret::id).toList()));
            for (BarbicanRows.Secret s : batch) {
                Secret p = existing.get(s.id());
                if (p != null && !sameFields(s, p)) {
                    conflicts.add(s.id());
                }
            }
        }
        if (!conflicts.isEmpty()) {
            throw new ImportRefused(conflicts.size() + " secret id(s) exist in Portcullis with other content, first "
                    + conflicts.get(0) + "; nothing was written or overwritten");
        }
    }

    void run(List<BarbicanRows.Secret> secrets, List<BarbicanRows.SecretConsumer> consumers) {
        progress.start("secrets", secrets.size());
        for (int i = 0; i < secrets.size(); i += BATCH) {
            List<BarbicanRows.Secret> batch = secrets.subList(i, Math.min(secrets.size(), i + BATCH));
            batch(batch);
            progress.advance(batch.size());
        }
        progress.finish();
        consumers(secrets, consumers);
    }

    private void batch(List<BarbicanRows.Secret> batch) {
        List<Prepared> writes = new ArrayList<>();
        List<BarbicanRows.Secret> deletes = new ArrayList<>();
        List<String> ids = batch.stream().map(BarbicanRows.Secret::id).toList();
        Map<String, Secret> existing = db.read(h -> repo.findLive(h, ids));
        Set<String> anyRow = db.read(h -> repo.existingIds(h, ids));
        for (BarbicanRows.Secret s : batch) {
            Secret current = existing.get(s.id());
            if (s.deleted()) {
                if (current != null) {
                    deletes.add(s);
                }
            } else if (current == null && anyRow.contains(s.id())) {
                report.skip(TYPE, s.id(), s.projectId(), "deleted in Portcullis since an earlier import; not restored");
            } else if (current == null || (!current.hasPayload() && hasPayload(s))) {
                Prepared p = prepare(s, current);
                if (p != null) {
                    writes.add(p);
                }
            } else {
                writes.add(new Prepared(s, current, true));
            }
        }
        if (dryRun) {
            writes.forEach(p -> report.count(TYPE, p.source().projectId(), p.exists() ? "checked" : "created"));
            deletes.forEach(s -> report.count(TYPE, s.projectId(), "deleted"));
            return;
        }
        long now = System.currentTimeMillis();
        db.write(h -> {
            for (Prepared p : writes) {
                BarbicanRows.Secret s = p.source();
                String action;
                if (!p.exists()) {
                    repo.insert(h, p.row());
                    action = "created";
                } else if (p.row().hasPayload() && existing.get(s.id()) != null && !existing.get(s.id()).hasPayload()) {
                    repo.setPayload(h, s.id(), p.row().storeId(), p.row().contentType(), p.row().stored(), s.updatedAt());
                    action = "updated";
                } else {
                    action = "unchanged";
                }
                boolean metadataKnown = !p.exists() && s.userMetadata().isEmpty();
                if (!metadataKnown && !repo.metadata(h, s.id()).equals(new java.util.TreeMap<>(s.userMetadata()))) {
                    repo.replaceMetadata(h, s.id(), s.userMetadata(), s.updatedAt());
                    action = action.equals("unchanged") ? "updated" : action;
                }
                report.changed(TYPE, s.id(), s.projectId(), action);
            }
            for (BarbicanRows.Secret s : deletes) {
                repo.delete(h, s.id(), now);
                report.changed(TYPE, s.id(), s.projectId(), "deleted");
            }
            return null;
        });
        report.committed();
    }

    private static boolean hasPayload(BarbicanRows.Secret s) {
        return s.encrypted() != null || s.storeMeta().containsKey("key_uuid") || s.storeMeta().containsKey("key_id");
    }

    /** Seals and verifies one payload; null (and a skip with the reason) when it cannot be imported. */
    private Prepared prepare(BarbicanRows.Secret s, Secret current) {
        SecretType type;
        try {
            type = SecretType.fromApi(s.secretType());
        } catch (RuntimeException e) {
            report.skip(TYPE, s.id(), s.projectId(), "unknown secret type " + s.secretType());
            return null;
        }
        String storePlugin = StoreRouting.storePlugin(s.storePlugin());
        String cryptoPlugin = s.encrypted() == null ? null : StoreRouting.cryptoPlugin(s.encrypted().kekPlugin());
        SecretStore store = hasPayload(s) ? routing.target(storePlugin, cryptoPlugin)
                : routing.target("store_crypto", "simple_crypto");
        if (store == null) {
            report.skip(TYPE, s.id(), s.projectId(), "no Portcullis store for Barbican's " + storePlugin
                    + (cryptoPlugin == null ? "" : "/" + cryptoPlugin) + " (configure one or use --store-map)");
            return null;
        }
        SecretBinding binding = new SecretBinding(s.id(), s.projectId(), store.info().id());
        StoredRef stored = null;
        if (hasPayload(s)) {
            try {
                stored = seal(s, store, binding, storePlugin, cryptoPlugin);
            } catch (Fernet.InvalidToken e) {
                report.skip(TYPE, s.id(), s.projectId(), "payload does not decrypt with Barbican's KEK: " + e.getMessage());
                return null;
            } catch (StoreException | Unsupported e) {
                report.skip(TYPE, s.id(), s.projectId(), e.getMessage());
                return null;
            }
        }
        String contentType = stored == null ? null : PayloadFormats.normalize(s.contentType());
        Secret row = new Secret(s.id(), s.projectId(), s.creatorId(), s.name(), type, s.algorithm(), s.bitLength(),
                s.mode(), s.expiration(), s.status(), current != null ? current.storeId() : store.info().id(),
                contentType, stored, s.createdAt(), s.updatedAt());
        return new Prepared(s, row, current != null);
    }

    private StoredRef seal(BarbicanRows.Secret s, SecretStore store, SecretBinding binding, String storePlugin,
            String cryptoPlugin) throws Fernet.InvalidToken {
        if ("store_crypto".equals(storePlugin) && "simple_crypto".equals(cryptoPlugin)) {
            byte[] plaintext = keys.payload(s.encrypted());
            try {
                StoredRef ref = store.store(binding, plaintext);
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
        if ("p11_crypto".equals(cryptoPlugin)) {
            throw new Unsupported("Barbican p11_crypto payloads are not imported: Portcullis' PKCS#11 store does not "
                    + "unwrap Barbican's project KEKs (see README, Moving from Barbican)");
        }
        throw new Unsupported("payloads of Barbican's " + storePlugin + (cryptoPlugin == null ? "" : "/" + cryptoPlugin)
                + " into Portcullis store '" + store.info().name() + "' (" + store.info().storePlugin()
                + ") are not supported");
    }

    private static boolean sameFields(BarbicanRows.Secret s, Secret p) {
        return s.projectId().equals(p.projectId()) && Objects.equals(s.creatorId(), p.creatorId())
                && Objects.equals(s.name(), p.name()) && s.secretType().equals(p.secretType().apiName())
                && Objects.equals(s.algorithm(), p.algorithm()) && Objects.equals(s.bitLength(), p.bitLength())
                && Objects.equals(s.mode(), p.mode()) && Objects.equals(s.expiration(), p.expiration())
                && s.createdAt() == p.createdAt();
    }

    /** Consumers: Barbican's set replaces Portcullis' for every imported live secret. */
    private void consumers(List<BarbicanRows.Secret> secrets, List<BarbicanRows.SecretConsumer> all) {
        Map<String, List<BarbicanRows.SecretConsumer>> bySecret = new java.util.HashMap<>();
        all.forEach(c -> bySecret.computeIfAbsent(c.secretId(), k -> new ArrayList<>()).add(c));
        if (dryRun) {
            return;
        }
        long now = System.currentTimeMillis();
        db.write(h -> {
            Set<String> relevant = repo.withConsumers(h);
            relevant.addAll(bySecret.keySet());
            for (BarbicanRows.Secret s : secrets) {
                if (s.deleted() || !relevant.contains(s.id()) || repo.find(h, s.id()).isEmpty()) {
                    continue;
                }
                List<SecretConsumer> have = repo.consumers(h, s.id());
                List<BarbicanRows.SecretConsumer> want = bySecret.getOrDefault(s.id(), List.of());
                Set<SecretConsumer> wanted = new HashSet<>();
                for (BarbicanRows.SecretConsumer c : want) {
                    SecretConsumer key = new SecretConsumer(c.service(), c.resourceType(), c.resourceId());
                    wanted.add(key);
                    if (!have.contains(key)) {
                        repo.importConsumer(h, c.id(), s.id(), c.projectId() == null ? s.projectId() : c.projectId(),
                                key, c.createdAt(), c.updatedAt());
                        report.changed("secret consumer", s.id(), s.projectId(), "created");
                    }
                }
                for (SecretConsumer c : have) {
                    if (!wanted.contains(c)) {
                        repo.removeConsumer(h, s.id(), c, now);
                        report.changed("secret consumer", s.id(), s.projectId(), "deleted");
                    }
                }
            }
            return null;
        });
        report.committed();
    }

    /** A payload this import cannot carry over; the secret is skipped with this reason. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message);
        }
    }
}
