package org.portcullis.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF with HMAC-SHA256 (RFC 5869), composed from the JCE's {@code HmacSHA256} and nothing else:
 * extract {@code PRK = HMAC(salt, IKM)}, then expand {@code T(i) = HMAC(PRK, T(i-1) | info | i)}.
 * Used to derive keys for other purposes (the audit trail's HMAC key) from a master KEK, so the
 * master KEK itself is never used for two things.
 */
public final class Hkdf {
    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LEN = 32;

    private Hkdf() {}

    /**
     * {@code length} bytes of output keying material; a null or empty salt means {@code HashLen}
     * zero bytes, as the RFC specifies. {@code length} is at most 255 * 32.
     */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length < 1 || length > 255 * HASH_LEN) {
            throw new IllegalArgumentException("HKDF-SHA256 output is 1 to 8160 bytes");
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(salt == null || salt.length == 0 ? new byte[HASH_LEN] : salt, HMAC));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, HMAC));
            Arrays.fill(prk, (byte) 0);
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int done = 0;
            for (int i = 1; done < length; i++) {
                mac.update(t);
                mac.update(info == null ? new byte[0] : info);
                mac.update((byte) i);
                t = mac.doFinal();
                int n = Math.min(HASH_LEN, length - done);
                System.arraycopy(t, 0, out, done, n);
                done += n;
            }
            Arrays.fill(t, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
