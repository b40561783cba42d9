package org.portcullis.stores;

import javax.crypto.AEADBadTagException;
import org.portcullis.crypto.Aead;
import org.portcullis.crypto.SealedPayload;
import org.portcullis.crypto.UnknownFormatException;

/**
 * The stores whose ciphertext is the secret's row (software, PKCS#11): {@link SealedPayload}
 * bound to the row ({@link SecretBinding}), with its failures as this SPI's exceptions.
 */
public final class RowCiphertext {
    private RowCiphertext() {}

    public static StoredRef seal(Aead projectKek, String projectKekId, SecretBinding b, byte[] payload) {
        return new StoredRef(SealedPayload.seal(projectKek, projectKekId, aad(b), payload));
    }

    /** The id of the project KEK the ciphertext names; an unknown format is tampering (or a newer writer). */
    public static String projectKekId(SecretBinding b, StoredRef ref) {
        try {
            return SealedPayload.header(ref.bytes()).projectKekId();
        } catch (UnknownFormatException e) {
            throw new StoreException("secret " + b.secretId() + ": " + e.getMessage(), e, true);
        }
    }

    public static byte[] open(Aead projectKek, SecretBinding b, StoredRef ref) {
        try {
            return SealedPayload.open(projectKek, ref.bytes(), aad(b));
        } catch (AEADBadTagException e) {
            throw new StoreException("secret " + b.secretId() + " failed authentication: its ciphertext or row "
                    + "was altered or moved", e, true);
        }
    }

    public static byte[] aad(SecretBinding b) {
        return SealedPayload.aad(b.secretId(), b.projectId(), b.storeId());
    }
}
