package org.portcullis.crypto;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM bound to one key: the only place in Portcullis that runs a cipher over a stored
 * secret or key. Every format in this package is built on it.
 *
 * <p>Contract: {@link #seal} returns {@code header | nonce (12) | ciphertext + tag (16)} with a
 * fresh random 96-bit nonce; the header (which names the format version and key id) is
 * authenticated together with the caller's associated data, so neither can be changed or moved to
 * another row without {@link #open} failing with {@link AEADBadTagException}. Random nonces are
 * safe: one key seals far fewer than 2^32 messages (a project KEK seals one project's payloads, a
 * master key wraps project KEKs). The key may live in the JVM (software store) or in a PKCS#11
 * token (then {@code provider} is its SunPKCS11 provider and {@code random} its generator).
 */
public final class Aead {
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    private final Provider provider;
    private final SecureRandom random;
    // JVM-held keys only: Cipher.getInstance (a provider lookup and a new cipher object) cost as
    // much as sealing a small payload. A cipher is re-initialised with a fresh nonce on every use
    // and held by one thread at a time; at most as many exist as calls ran at once. A token's
    // ciphers are not kept: each holds a PKCS#11 session.
    private final ConcurrentLinkedQueue<Cipher> idle = new ConcurrentLinkedQueue<>();

    private Aead(SecretKey key, Provider provider, SecureRandom random) {
        this.key = key;
        this.provider = provider;
        this.random = random;
    }

    /** A key held by the JVM, sealed by the default JCE provider. */
    public static Aead of(SecretKey key) {
        return new Aead(key, null, RANDOM);
    }

    /** A key held by a token: the cipher runs in {@code provider}, nonces come from {@code random}. */
    public static Aead inToken(SecretKey key, Provider provider, SecureRandom random) {
        return new Aead(key, provider, random);
    }

    /** {@code header | nonce | ciphertext+tag}; header and {@code aad} are both authenticated. */
    public byte[] seal(byte[] header, byte[] plaintext, byte[] aad) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            // One AAD call: some PKCS#11 tokens take associated data only once per operation.
            cipher.updateAAD(concat(header, aad));
            byte[] sealed = cipher.doFinal(plaintext);
            release(cipher);
            byte[] out = new byte[header.length + NONCE_BYTES + sealed.length];
            System.arraycopy(header, 0, out, 0, header.length);
            System.arraycopy(nonce, 0, out, header.length, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, header.length + NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    /** Opens all of {@code sealed}, whose first {@code headerLength} bytes are the header. */
    public byte[] open(byte[] sealed, int headerLength, byte[] aad) throws AEADBadTagException {
        return open(sealed, sealed.length, headerLength, aad);
    }

    /**
     * Opens the first {@code length} bytes of {@code in} (a format may append more, e.g. a MAC).
     *
     * @throws AEADBadTagException when the ciphertext, header or associated data were altered, or
     *     the key is not the one that sealed it
     */
    public byte[] open(byte[] in, int length, int headerLength, byte[] aad) throws AEADBadTagException {
        if (headerLength < 0 || length > in.length || length < headerLength + NONCE_BYTES + TAG_BYTES) {
            throw new AEADBadTagException("ciphertext too short");
        }
        try {
            Cipher cipher = cipher();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, in, headerLength, NONCE_BYTES));
            // header and associated data in one array, as seal() authenticates them
            byte[] headerAndAad = new byte[headerLength + aad.length];
            System.arraycopy(in, 0, headerAndAad, 0, headerLength);
            System.arraycopy(aad, 0, headerAndAad, headerLength, aad.length);
            cipher.updateAAD(headerAndAad);
            int offset = headerLength + NONCE_BYTES;
            byte[] opened = cipher.doFinal(in, offset, length - offset);
            release(cipher);
            return opened;
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    private Cipher cipher() throws GeneralSecurityException {
        if (provider != null) {
            return Cipher.getInstance("AES/GCM/NoPadding", provider);
        }
        Cipher kept = idle.poll();
        return kept != null ? kept : Cipher.getInstance("AES/GCM/NoPadding");
    }

    /** Keeps a JVM cipher whose operation completed; one that failed (a bad tag) is dropped. */
    private void release(Cipher cipher) {
        if (provider == null) {
            idle.offer(cipher);
        }
    }

    /** 32 random bytes for a new AES-256 key held by the JVM. */
    public static byte[] randomKeyBytes() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
