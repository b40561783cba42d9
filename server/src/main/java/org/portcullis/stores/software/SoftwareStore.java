package org.portcullis.stores.software;

import java.nio.ByteBuffer;
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
 * <p>Payload ciphertext, version 1: {@code 0x01 | project KEK id (16, a UUID) | nonce (12) |
 * AES-GCM(payload) + tag (16)}, associated data = header, secret id, project id and store id. The
 * header names the key, so payloads under several KEK generations can coexist during a rotation.
 */
public final class SoftwareStore implements SecretStore {
    static final byte PAYLOAD_VERSION = 1;
    private static final int PAYLOAD_HEADER = 1 + 16;

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
        UUID kekId = UUID.fromString(kek.id());
        byte[] header = ByteBuffer.allocate(PAYLOAD_HEADER).put(PAYLOAD_VERSION)
                .putLong(kekId.getMostSignificantBits()).putLong(kekId.getLeastSignificantBits()).array();
        return new StoredRef(AesGcm.seal(kek.key(), header, payload, aad(binding)));
    }

    @Override
    public byte[] retrieve(SecretBinding binding, StoredRef ref) {
        requireOwnStore(binding);
        byte[] sealed = ref.bytes();
        if (sealed.length < PAYLOAD_HEADER || sealed[0] != PAYLOAD_VERSION) {
            throw new StoreException("secret " + binding.secretId() + " has a ciphertext format this node does not "
                    + "know (version " + (sealed.length == 0 ? "none" : sealed[0]) + ")", null, true);
        }
        ByteBuffer header = ByteBuffer.wrap(sealed, 1, 16);
        String kekId = new UUID(header.getLong(), header.getLong()).toString();
        ProjectKek kek = projectKeks.byId(kekId, binding.projectId());
        try {
            return AesGcm.open(kek.key(), sealed, PAYLOAD_HEADER, aad(binding));
        } catch (AEADBadTagException e) {
            throw new StoreException("secret " + binding.secretId() + " failed authentication: its ciphertext or row "
                    + "was altered or moved", e, true);
        }
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
        byte[] header = {PAYLOAD_VERSION};
        try {
            byte[] sealed = AesGcm.seal(master.key(), header, probe, aad(canary));
            byte[] opened = AesGcm.open(master.key(), sealed, header.length, aad(canary));
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

    private static byte[] aad(SecretBinding b) {
        return AssociatedData.of("portcullis secret v1", b.secretId(), b.projectId(), b.storeId());
    }
}
