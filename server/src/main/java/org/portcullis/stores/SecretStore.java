package org.portcullis.stores;

import java.util.Map;

/**
 * A place secrets' payloads live: the software store (ciphertext in the database), an HSM, a
 * KMIP server, Vault. The service keeps one row per secret and asks the store that holds it to
 * seal, open and destroy the payload.
 *
 * <p>Contract for implementations: {@link #store} returns what must be persisted to get the
 * payload back (ciphertext, or an external reference) and must bind it to {@link SecretBinding}:
 * a stored ref presented with another secret's binding must not yield the payload. A failure is
 * a {@link StoreException}, never a partial result.
 */
public interface SecretStore {
    StoreInfo info();

    /** Seals a payload for one secret; the result goes into the secret's row. */
    StoredRef store(SecretBinding binding, byte[] payload);

    /**
     * {@link #store} when the caller read the project's active KEK ids already, in the statement
     * that read its other rows before a create ({@code activeKeks}: store id to KEK id; a store
     * missing from it has none yet). Stores without project KEKs ignore it.
     */
    default StoredRef store(SecretBinding binding, byte[] payload, Map<String, String> activeKeks) {
        return store(binding, payload);
    }

    /**
     * A sealer for one batch of writes that commits right after (an import or migration batch).
     * Stores that can share work across a batch override it: the software store looks each
     * project's active KEK up once per batch instead of once per payload. Use it for one batch
     * only, so a KEK activated meanwhile (a reseal) is seen by the next batch.
     */
    default java.util.function.BiFunction<SecretBinding, byte[], StoredRef> batchSealer() {
        return this::store;
    }

    /** Seals several payloads, one per binding, in order (a migration's batch). */
    default java.util.List<StoredRef> storeAll(java.util.List<SecretBinding> bindings, java.util.List<byte[]> payloads) {
        java.util.function.BiFunction<SecretBinding, byte[], StoredRef> seal = batchSealer();
        java.util.List<StoredRef> out = new java.util.ArrayList<>(bindings.size());
        for (int i = 0; i < bindings.size(); i++) {
            out.add(seal.apply(bindings.get(i), payloads.get(i)));
        }
        return out;
    }

    /** Opens what {@link #store} returned for the same binding. */
    byte[] retrieve(SecretBinding binding, StoredRef ref);

    /** Destroys the payload where it lives; a no-op for stores whose ciphertext is the row. */
    void delete(SecretBinding binding, StoredRef ref);

    /** The master-key rotation of a store that wraps project KEKs (software, PKCS#11); empty for others. */
    default java.util.Optional<KeyRotation> keyRotation() {
        return java.util.Optional.empty();
    }

    /** A full round trip through the store, as the health endpoint and {@code doctor} run it. */
    StoreHealth health();

    /**
     * Generates a symmetric key for one secret and seals it. Stores that can generate keys inside
     * their own boundary (an HSM, a KMIP server) override this so the key never exists outside.
     *
     * @throws KeyMaterial.UnsupportedKey when the algorithm, size or mode is not supported
     */
    default StoredRef generateSymmetric(SecretBinding binding, String algorithm, int bits, String mode) {
        return store(binding, KeyMaterial.symmetric(algorithm, bits, mode));
    }

    /** The sealed halves of a generated key pair. */
    record GeneratedPair(StoredRef privateKey, StoredRef publicKey) {}

    /**
     * Generates a key pair (PEM; the private key encrypted under {@code passphrase} when given)
     * and seals each half for its own secret.
     */
    default GeneratedPair generateKeyPair(SecretBinding privateKey, SecretBinding publicKey, String algorithm, int bits,
            String passphrase) {
        KeyMaterial.PemPair pair = KeyMaterial.keyPair(algorithm, bits, passphrase);
        return new GeneratedPair(store(privateKey, pair.privateKey()), store(publicKey, pair.publicKey()));
    }
}
