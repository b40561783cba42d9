package org.portcullis.crypto;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;

/**
 * A project KEK wrapped inside a PKCS#11 token (column {@code project_keks.wrapped} of a PKCS#11
 * store): encrypted under the token's MKEK and authenticated by its HMAC key.
 *
 * <p>Version 1 (101 bytes): {@code 0x01 | master id (8) | nonce (12) | AES-GCM_mkek(key) + tag (48)
 * | HMAC-SHA256 (32)}. The GCM associated data is the 9-byte header plus the caller's (store,
 * project, KEK id); the HMAC covers every byte before it plus the same associated data, so a row
 * altered or moved fails the HMAC check before anything is decrypted. The master id names the
 * (MKEK label, HMAC label) pair that wrapped the row, so a reader picks its keys by it.
 *
 * <p>Why GCM encryption instead of C_WrapKey: SunPKCS11 offers AES key wrapping only as
 * {@code AES/KW*} ciphers, which JDK 17 lacks and which JDK 25 drops for SoftHSM2 (it flags
 * CKM_AES_KEY_WRAP as wrap-only) or, with {@code allowLegacy}, sends an IV parameter SoftHSM
 * rejects; GCM in WRAP_MODE is unsupported. AES-GCM in ENCRYPT_MODE of the project key's 32 bytes
 * works on every token and JDK tried (SoftHSM2, NSS softoken; JDK 17 and 25) and authenticates the
 * result. The cost: unwrapped project keys live in the JVM's memory (as with Barbican's p11 plugin,
 * which caches unwrapped project KEKs); the MKEK and HMAC key never leave the token.
 */
public final class TokenWrappedKey {
    public static final byte V1 = 1;
    public static final int MASTER_ID_BYTES = 8;
    private static final int V1_HEADER = 1 + MASTER_ID_BYTES;
    private static final int V1_MIN = V1_HEADER + Aead.NONCE_BYTES + Aead.TAG_BYTES + Hmac.BYTES;

    /** The format version and the master id (hex) of the key pair that wrapped the key. */
    public record Header(int version, String masterId) {}

    private TokenWrappedKey() {}

    public static byte[] wrap(Aead mkek, Hmac hmac, byte[] masterId, byte[] rawKey, byte[] aad) {
        byte[] header = ByteBuffer.allocate(V1_HEADER).put(V1).put(masterId).array();
        byte[] body = mkek.seal(header, rawKey, aad);
        return Aead.concat(body, hmac.mac(body, aad));
    }

    /** @throws UnknownFormatException for a version this build does not read */
    public static Header header(byte[] wrapped) {
        int version = wrapped.length == 0 ? -1 : wrapped[0];
        if (version == V1 && wrapped.length >= V1_MIN) {
            return new Header(V1, HexFormat.of().formatHex(Arrays.copyOfRange(wrapped, 1, V1_HEADER)));
        }
        throw new UnknownFormatException("HSM key wrap format version " + (version < 0 ? "none (empty)" : version)
                + " is not one this node reads");
    }

    /** Checks the HMAC, then decrypts; the caller chose the keys by the header's master id. */
    public static byte[] unwrap(Aead mkek, Hmac hmac, byte[] wrapped, byte[] aad) throws AEADBadTagException {
        header(wrapped);
        int macAt = wrapped.length - Hmac.BYTES;
        byte[] expected = hmac.mac(Arrays.copyOf(wrapped, macAt), aad);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(wrapped, macAt, wrapped.length))) {
            throw new AEADBadTagException("HMAC mismatch");
        }
        return mkek.open(wrapped, macAt, V1_HEADER, aad);
    }
}
