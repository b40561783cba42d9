package org.portcullis.stores.pkcs11;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The operations that run inside the token with its non-extractable keys: AES-256-GCM under the
 * master KEK ("encrypt-as-wrap" of project KEKs) and HMAC-SHA256 under the HMAC key.
 *
 * <p>Why GCM encryption instead of C_WrapKey: SunPKCS11 offers AES key wrapping only as
 * {@code AES/KW*} ciphers, which JDK 17 lacks entirely and which JDK 25 drops for SoftHSM2
 * (SoftHSM flags CKM_AES_KEY_WRAP as wrap-only) or, with {@code allowLegacy}, sends an IV
 * parameter SoftHSM rejects (CKR_ARGUMENTS_BAD); GCM in WRAP_MODE is unsupported. Encrypting the
 * project key's 32 bytes with AES-GCM in ENCRYPT_MODE works on every token and JDK tried (SoftHSM2,
 * NSS softoken; JDK 17 and 25), needs no dependency, and authenticates the result. The cost:
 * unwrapped project keys live in the JVM's memory (as with Barbican's p11 plugin, whose project
 * KEKs are unwrapped into session objects and cached). The master and HMAC keys never leave the
 * token.
 */
final class InTokenCrypto {
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    static final int MAC_BYTES = 32;

    private InTokenCrypto() {}

    /** {@code nonce | ciphertext+tag} of {@code plaintext} under the token key. */
    static byte[] seal(Provider p, SecretKey key, SecureRandom random, byte[] plaintext, byte[] aad)
            throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", p);
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(aad);
        byte[] sealed = c.doFinal(plaintext);
        byte[] out = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
        return out;
    }

    /** Opens {@code length} bytes of {@link #seal}'s output at {@code offset}. */
    static byte[] open(Provider p, SecretKey key, byte[] in, int offset, int length, byte[] aad)
            throws GeneralSecurityException {
        if (length < NONCE_BYTES + TAG_BITS / 8) {
            throw new AEADBadTagException("sealed data too short");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", p);
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, offset, NONCE_BYTES));
        c.updateAAD(aad);
        return c.doFinal(in, offset + NONCE_BYTES, length - NONCE_BYTES);
    }

    /** HMAC-SHA256 of the parts, in order, under the token's HMAC key. */
    static byte[] mac(Provider p, SecretKey key, byte[]... parts) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256", p);
        mac.init(key);
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }
}
