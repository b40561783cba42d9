package org.portcullis.stores.software;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import org.portcullis.crypto.Aead;
import org.portcullis.crypto.SealedPayload;
import org.portcullis.crypto.WrappedKey;
import org.portcullis.db.Database;
import org.portcullis.stores.KeyRotation;
import org.portcullis.stores.MasterKeyCheck;
import org.portcullis.stores.ProjectKekRotation;
import org.portcullis.stores.RowCiphertext;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoreHealth;
import org.portcullis.stores.StoreInfo;
import org.portcullis.stores.StoredRef;

/**
 * Barbican's {@code store_crypto} + {@code simple_crypto}, done with AES-256-GCM: master KEK ->
 * project KEK -> payload. The ciphertext lives in the secret's row.
 *
 * <p>Payload ciphertext: {@link SealedPayload}; project KEKs: {@link ProjectKeks}; master KEKs
 * (current and previous, during a rotation): {@link MasterKeyring}.
 */
public final class SoftwareStore implements SecretStore {

    private final StoreInfo info;
    private final MasterKek master;
    private final MasterKeyring ring;
    private final ProjectKeks projectKeks;
    private final Database db;
    private final Clock clock;

    public SoftwareStore(StoreInfo info, MasterKeyring ring, Database db, Clock clock) {
        this.info = info;
        this.master = ring.current();
        this.ring = ring;
        this.projectKeks = new ProjectKeks(db, info.id(), ring, clock);
        this.db = db;
        this.clock = clock;
    }

    /** A store with one master KEK and no previous one. */
    public SoftwareStore(StoreInfo info, MasterKek master, Database db, Clock clock) {
        this(info, new MasterKeyring(master, java.util.List.of()), db, clock);
    }

    @Override
    public StoreInfo info() {
        return info;
    }

    public MasterKek masterKek() {
        return master;
    }

    @Override
    public Optional<KeyRotation> keyRotation() {
        return Optional.of(new ProjectKekRotation(db, info.id(), new ProjectKekRotation.Wrapping() {
            @Override
            public String currentKeyId() {
                return master.keyId();
            }

            @Override
            public String keyIdOf(byte[] wrapped) {
                return WrappedKey.header(wrapped).masterKeyId();
            }

            @Override
            public byte[] unwrap(String kekId, String projectId, byte[] wrapped) {
                return projectKeks.unwrapRaw(kekId, projectId, wrapped);
            }

            @Override
            public byte[] wrap(String kekId, String projectId, byte[] raw) {
                return WrappedKey.wrap(master.aead(), master.keyIdBytes(), raw, ProjectKeks.aad(info.id(), projectId, kekId));
            }

            @Override
            public byte[] newKey() {
                return Aead.randomKeyBytes();
            }

            @Override
            public List<String> retireUnused() {
                return MasterKeyCheck.retireUnused(db, info);
            }
        }, clock));
    }

    /** The node's master keys: current and previous. */
    public MasterKeyring keyring() {
        return ring;
    }

    @Override
    public StoredRef store(SecretBinding binding, byte[] payload) {
        requireOwnStore(binding);
        ProjectKek kek = projectKeks.active(binding.projectId());
        return RowCiphertext.seal(kek.aead(), kek.id(), binding, payload);
    }

    /** The KEK the caller read as active is used; without one, it is looked up (or created) as in {@link #store}. */
    @Override
    public StoredRef store(SecretBinding binding, byte[] payload, java.util.Map<String, String> activeKeks) {
        requireOwnStore(binding);
        String kekId = activeKeks.get(info.id());
        ProjectKek kek = kekId == null ? projectKeks.active(binding.projectId())
                : projectKeks.byId(kekId, binding.projectId());
        return RowCiphertext.seal(kek.aead(), kek.id(), binding, payload);
    }

    /** Each project's active KEK is looked up once for the batch (the first payload of that project). */
    @Override
    public java.util.function.BiFunction<SecretBinding, byte[], StoredRef> batchSealer() {
        java.util.Map<String, ProjectKek> active = new java.util.concurrent.ConcurrentHashMap<>();
        return (binding, payload) -> {
            requireOwnStore(binding);
            ProjectKek kek = active.computeIfAbsent(binding.projectId(), projectKeks::active);
            return RowCiphertext.seal(kek.aead(), kek.id(), binding, payload);
        };
    }

    /** One query for the active KEKs of every project in the batch. */
    @Override
    public List<StoredRef> storeAll(List<SecretBinding> bindings, List<byte[]> payloads) {
        bindings.forEach(this::requireOwnStore);
        java.util.Map<String, ProjectKek> keks = bindings.isEmpty() ? java.util.Map.of()
                : projectKeks.activeAll(bindings.stream().map(SecretBinding::projectId).distinct().toList());
        List<StoredRef> out = new java.util.ArrayList<>(bindings.size());
        for (int i = 0; i < bindings.size(); i++) {
            SecretBinding binding = bindings.get(i);
            ProjectKek kek = keks.get(binding.projectId());
            out.add(RowCiphertext.seal(kek.aead(), kek.id(), binding, payloads.get(i)));
        }
        return out;
    }

    @Override
    public byte[] retrieve(SecretBinding binding, StoredRef ref) {
        requireOwnStore(binding);
        ProjectKek kek = projectKeks.byId(RowCiphertext.projectKekId(binding, ref), binding.projectId());
        return RowCiphertext.open(kek.aead(), binding, ref);
    }

    @Override
    public void delete(SecretBinding binding, StoredRef ref) {
        // The ciphertext is in the row, which the caller erases.
    }

    @Override
    public StoreHealth health() {
        long start = System.nanoTime();
        SecretBinding canary = new SecretBinding("health-" + UUID.randomUUID(), "portcullis-health", info.id());
        byte[] probe = Aead.randomKeyBytes();
        byte[] header = {SealedPayload.V1};
        byte[] aad = RowCiphertext.aad(canary);
        try {
            Aead aead = master.aead();
            byte[] opened = aead.open(aead.seal(header, probe, aad), header.length, aad);
            boolean ok = java.util.Arrays.equals(probe, opened);
            long micros = (System.nanoTime() - start) / 1000;
            return ok ? StoreHealth.healthy("AES-256-GCM round trip under master KEK " + master.keyId(), micros)
                    : new StoreHealth(false, "round trip returned other bytes", true, micros);
        } catch (AEADBadTagException | RuntimeException e) {
            return new StoreHealth(false, "round trip failed: " + e.getMessage(), true, (System.nanoTime() - start) / 1000);
        }
    }

    private void requireOwnStore(SecretBinding binding) {
        if (!binding.storeId().equals(info.id())) {
            throw new StoreException("secret " + binding.secretId() + " belongs to store " + binding.storeId()
                    + ", not " + info.name(), null, false);
        }
    }
}
