package org.portcullis.crypto;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/** HMAC-SHA256 bound to one key, in the JCE or in a PKCS#11 token (its SunPKCS11 provider). */
public final class Hmac {
    public static final int BYTES = 32;

    private final SecretKey key;
    private final Provider provider;

    private Hmac(SecretKey key, Provider provider) {
        this.key = key;
        this.provider = provider;
    }

    public static Hmac inToken(SecretKey key, Provider provider) {
        return new Hmac(key, provider);
    }

    /** The HMAC of the parts, in order. */
    public byte[] mac(byte[]... parts) {
        try {
            Mac mac = provider == null ? Mac.getInstance("HmacSHA256") : Mac.getInstance("HmacSHA256", provider);
            mac.init(key);
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 failed: " + e.getMessage(), e);
        }
    }
}
