package org.portcullis.stores.software;

import java.nio.ByteBuffer;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoredRef;

/**
 * The payload ciphertext of the stores whose ciphertext is the row (software and PKCS#11), version
 * 1: {@code 0x01 | project KEK id (16, a UUID) | nonce (12) | AES-256-GCM(payload) + tag (16)},
 * associated data = header, secret id, project id and store id. The header names the key, so
 * payloads under several KEK generations can coexist during a rotation; the associated data makes
 * a ciphertext copied into another secret's, project's or store's row fail to open.
 */
public final class SealedPayload {
    static final byte VERSION = 1;
    private static final int HEADER = 1 + 16;

    private SealedPayload() {}

    public static StoredRef seal(SecretKey projectKek, String projectKekId, SecretBinding binding, byte[] payload) {
        UUID id = UUID.fromString(projectKekId);
        byte[] header = ByteBuffer.allocate(HEADER).put(VERSION)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
        return new StoredRef(AesGcm.seal(projectKek, header, payload, aad(binding)));
    }

    /** The id of the project KEK a ciphertext was sealed under; an unknown format is tampering. */
    public static String projectKekId(SecretBinding binding, StoredRef ref) {
        byte[] sealed = ref.bytes();
        if (sealed.length < HEADER || sealed[0] != VERSION) {
            throw new StoreException("secret " + binding.secretId() + " has a ciphertext format this node does not "
                    + "know (version " + (sealed.length == 0 ? "none" : sealed[0]) + ")", null, true);
        }
        ByteBuffer header = ByteBuffer.wrap(sealed, 1, 16);
        return new UUID(header.getLong(), header.getLong()).toString();
    }

    public static byte[] open(SecretKey projectKek, SecretBinding binding, StoredRef ref) {
        try {
            return AesGcm.open(projectKek, ref.bytes(), HEADER, aad(binding));
        } catch (AEADBadTagException e) {
            throw new StoreException("secret " + binding.secretId() + " failed authentication: its ciphertext or row "
                    + "was altered or moved", e, true);
        }
    }

    static byte[] aad(SecretBinding b) {
        return AssociatedData.of("portcullis secret v1", b.secretId(), b.projectId(), b.storeId());
    }
}
