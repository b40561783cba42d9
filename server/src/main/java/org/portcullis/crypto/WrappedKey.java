package org.portcullis.crypto;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;

/**
 * A project KEK wrapped by a software store's master KEK (column {@code project_keks.wrapped}).
 *
 * <p>Version 1: {@code 0x01 | master key id (8) | nonce (12) | AES-256-GCM(32-byte key) + tag},
 * associated data = header plus the caller's (store, project, project KEK id). The master key id
 * is the master KEK's fingerprint: a reader picks which of its master keys (current or previous)
 * to open with, and a rotation finds the rows that still need the old key.
 */
public final class WrappedKey {
    public static final byte V1 = 1;
    public static final int MASTER_ID_BYTES = 8;
    private static final int V1_HEADER = 1 + MASTER_ID_BYTES;

    /** The format version and the master key id (hex) that wrapped the key. */
    public record Header(int version, String masterKeyId) {}

    private WrappedKey() {}

    public static byte[] wrap(Aead master, byte[] masterId, byte[] rawKey, byte[] aad) {
        if (masterId.length != MASTER_ID_BYTES) {
            throw new IllegalArgumentException("a master key id is " + MASTER_ID_BYTES + " bytes");
        }
        byte[] header = ByteBuffer.allocate(V1_HEADER).put(V1).put(masterId).array();
        return master.seal(header, rawKey, aad);
    }

    /** @throws UnknownFormatException for a version this build does not read */
    public static Header header(byte[] wrapped) {
        int version = wrapped.length == 0 ? -1 : wrapped[0];
        if (version == V1 && wrapped.length >= V1_HEADER) {
            return new Header(V1, HexFormat.of().formatHex(Arrays.copyOfRange(wrapped, 1, V1_HEADER)));
        }
        throw new UnknownFormatException("key wrap format version " + (version < 0 ? "none (empty)" : version)
                + " is not one this node reads");
    }

    /** The raw key; the caller chose {@code master} by the header's master key id. */
    public static byte[] unwrap(Aead master, byte[] wrapped, byte[] aad) throws AEADBadTagException {
        return switch (header(wrapped).version()) {
            case V1 -> master.open(wrapped, V1_HEADER, aad);
            default -> throw new IllegalStateException("unreachable");
        };
    }
}
