package org.portcullis.stores.software;

import java.time.Clock;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import org.portcullis.db.Database;
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
 * <p>Payload ciphertext: {@link SealedPayload}.
 */
public final class SoftwareStore implements SecretStore {

    private final StoreInfo info;
    private final MasterKek master;
    private final ProjectKeks projectKeks;

    public SoftwareStore(StoreInfo info, MasterKek master, Database db, Clock clock) {
        this.info = info;
        this.master = master;
        this.projectKeks = new ProjectKeks(db, info.id(), master, clock);
    }

    @Override
    public StoreInfo info() {
        return info;
    }

    public MasterKek masterKek() {
        return master;
    }

    @Override
    public StoredRef store(SecretBinding binding, byte[] payload) {
        requireOwnStore(binding);
        ProjectKek kek = projectKeks.active(binding.projectId());
        return SealedPayload.seal(kek.key(), kek.id(), binding, payload);
    }

    @Override
    public byte[] retrieve(SecretBinding binding, StoredRef ref) {
        requireOwnStore(binding);
        ProjectKek kek = projectKeks.byId(SealedPayload.projectKekId(binding, ref), binding.projectId());
        return SealedPayload.open(kek.key(), binding, ref);
    }

    @Override
    public void delete(SecretBinding binding, StoredRef ref) {
        // The ciphertext is in the row, which the caller erases.
    }

    @Override
    public StoreHealth health() {
        long start = System.nanoTime();
        SecretBinding canary = new SecretBinding("health-" + UUID.randomUUID(), "portcullis-health", info.id());
        byte[] probe = AesGcm.randomKeyBytes();
        byte[] header = {SealedPayload.VERSION};
        try {
            byte[] sealed = AesGcm.seal(master.key(), header, probe, SealedPayload.aad(canary));
            byte[] opened = AesGcm.open(master.key(), sealed, header.length, SealedPayload.aad(canary));
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
