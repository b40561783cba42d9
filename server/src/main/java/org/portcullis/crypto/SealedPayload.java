package org.portcullis.crypto;

import java.nio.ByteBuffer;
import java.util.UUID;
import javax.crypto.AEADBadTagException;

/**
 * The payload ciphertext of the stores whose ciphertext is the row (software and PKCS#11).
 *
 * <p>Version 1: {@code 0x01 | project KEK id (16, a UUID) | nonce (12) | AES-256-GCM(payload) +
 * tag (16)}, associated data = header, secret id, project id and store id ({@link #aad}). The
 * header names the key, so payloads under several project KEK generations coexist during a
 * rotation and a reader picks the key from {@link #header}; the associated data makes a
 * ciphertext copied into another secret's, project's or store's row fail to open. A reader
 * switches on the version byte: a future version 2 is added beside version 1, never instead.
 */
public final class SealedPayload {
    public static final byte V1 = 1;
    private static final int V1_HEADER = 1 + 16;

    /** What the header says: the format version and the project KEK that sealed the payload. */
    public record Header(int version, String projectKekId) {}

    private SealedPayload() {}

    /** Seals under the current version. */
    public static byte[] seal(Aead projectKek, String projectKekId, byte[] aad, byte[] payload) {
        UUID id = UUID.fromString(projectKekId);
        byte[] header = ByteBuffer.allocate(V1_HEADER).put(V1)
                .putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
        return projectKek.seal(header, payload, aad);
    }

    /** @throws UnknownFormatException for a version this build does not read */
    public static Header header(byte[] sealed) {
        int version = sealed.length == 0 ? -1 : sealed[0];
        return switch (version) {
            case V1 -> {
                if (sealed.length < V1_HEADER) {
                    throw new UnknownFormatException("a version 1 payload shorter than its header");
                }
                ByteBuffer b = ByteBuffer.wrap(sealed, 1, 16);
                yield new Header(V1, new UUID(b.getLong(), b.getLong()).toString());
            }
            default -> throw new UnknownFormatException("ciphertext format version "
                    + (version < 0 ? "none (empty)" : version) + " is not one this node reads");
        };
    }

    /** Opens a payload of any known version with the key its {@link #header} named. */
    public static byte[] open(Aead projectKek, byte[] sealed, byte[] aad) throws AEADBadTagException {
        return switch (header(sealed).version()) {
            case V1 -> projectKek.open(sealed, V1_HEADER, aad);
            default -> throw new IllegalStateException("unreachable");
        };
    }

    /** The associated data that binds a payload to its row. */
    public static byte[] aad(String secretId, String projectId, String storeId) {
        return AssociatedData.of("portcullis secret v1", secretId, projectId, storeId);
    }
}
