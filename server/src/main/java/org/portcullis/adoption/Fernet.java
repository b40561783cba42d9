package org.portcullis.adoption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decryption of Fernet tokens (https://github.com/fernet/spec), the format Barbican's
 * simple_crypto plugin wraps project KEKs and payloads in. Only decryption: Portcullis never
 * writes Fernet. Token: version 0x80 | 64-bit timestamp | 128-bit IV | AES-128-CBC/PKCS7
 * ciphertext | HMAC-SHA256 over everything before it; key: 32 bytes, signing half first. The
 * token's timestamp is not checked: Barbican writes tokens without a TTL.
 */
public final class Fernet {
    private static final byte VERSION = (byte) 0x80;
    private static final int HEADER = 1 + 8 + 16;
    private static final int MAC = 32;

    // One instance per thread: looking a primitive up in the providers costs more than a token.
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> primitive(() -> Mac.getInstance("HmacSHA256")));
    private static final ThreadLocal<Cipher> CIPHERS =
            ThreadLocal.withInitial(() -> primitive(() -> Cipher.getInstance("AES/CBC/PKCS5Padding")));

    private final SecretKeySpec signing;
    private final SecretKeySpec encryption;

    private Fernet(byte[] key) {
        this.signing = new SecretKeySpec(key, 0, 16, "HmacSHA256");
        this.encryption = new SecretKeySpec(key, 16, 16, "AES");
    }

    /** A token that is not valid under the key: wrong key, altered, or not a Fernet token at all. */
    public static final class InvalidToken extends Exception {
        InvalidToken(String message) {
            super(message);
        }
    }

    /**
     * A key as Python's Fernet takes it: base64 of 32 bytes. The urlsafe alphabet is what the spec
     * says; Python's decoder also takes {@code +} and {@code /}, so keys written with the standard
     * alphabet (as many deployments' {@code kek} values are) work too.
     */
    public static Fernet fromKey(String base64Key) throws InvalidToken {
        byte[] key = decodeBase64(base64Key.strip());
        if (key == null || key.length != 32) {
            throw new InvalidToken("a Fernet key is base64 of 32 bytes");
        }
        try {
            return new Fernet(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Same as {@link #fromKey(String)} for a key given as its ASCII bytes (a KEK stored as bytes). */
    public static Fernet fromKey(byte[] base64Key) throws InvalidToken {
        return fromKey(new String(base64Key, StandardCharsets.US_ASCII));
    }

    /** The plaintext of a token given as its (urlsafe base64) text bytes. */
    public byte[] decrypt(byte[] token) throws InvalidToken {
        byte[] raw = decodeBase64(new String(token, StandardCharsets.US_ASCII).strip());
        if (raw == null || raw.length < HEADER + 16 + MAC || (raw.length - HEADER - MAC) % 16 != 0) {
            throw new InvalidToken("not a Fernet token (bad encoding or length)");
        }
        if (raw[0] != VERSION) {
            throw new InvalidToken("unknown Fernet version 0x" + Integer.toHexString(raw[0] & 0xff));
        }
        try {
            Mac mac = MACS.get();
            mac.init(signing);
            mac.update(raw, 0, raw.length - MAC);
            byte[] expected = mac.doFinal();
            byte[] given = Arrays.copyOfRange(raw, raw.length - MAC, raw.length);
            if (!MessageDigest.isEqual(expected, given)) {
                throw new InvalidToken("Fernet signature does not match: wrong key or altered token");
            }
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.DECRYPT_MODE, encryption, new IvParameterSpec(raw, 9, 16));
            return cipher.doFinal(raw, HEADER, raw.length - HEADER - MAC);
        } catch (GeneralSecurityException e) {
            // Only reachable after the HMAC matched: a token signed with this key but badly padded.
            throw new InvalidToken("Fernet ciphertext does not decrypt: " + e.getMessage());
        }
    }

    private interface Lookup<T> {
        T get() throws GeneralSecurityException;
    }

    private static <T> T primitive(Lookup<T> lookup) {
        try {
            return lookup.get();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks a primitive Fernet needs", e);
        }
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getUrlDecoder().decode(text.replace('+', '-').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
