package org.portcullis.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.portcullis.config.ConfigException;
import org.portcullis.config.FilePermissions;
import org.portcullis.stores.software.MasterKek;

/**
 * The key of the audit trail's HMAC chain. Normally derived from the global default software
 * store's master KEK with HKDF-SHA256 (info {@value #HKDF_INFO}), so whoever can forge a line
 * could also read every secret; without a software store, read from {@code [audit] hmac_key_file}
 * (32 bytes, base64, mode 0400 or 0600). {@link #keyId()} is a fingerprint (HMAC of a constant)
 * written into every line, so {@code verify} can tell "wrong key" from "edited line"; it reveals
 * nothing about the key.
 */
public final class AuditKey {
    public static final String HKDF_INFO = "portcullis audit v1";
    private static final String HMAC = "HmacSHA256";
    private static final byte[] KEY_ID_LABEL = "portcullis audit key id v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec key;
    private final String keyId;
    private final String origin;

    private AuditKey(byte[] raw, String origin) {
        this.key = new SecretKeySpec(raw, HMAC);
        this.keyId = HexFormat.of().formatHex(mac(key, KEY_ID_LABEL), 0, 8);
        this.origin = origin;
    }

    public static AuditKey of(byte[] raw, String origin) {
        if (raw.length < 32) {
            throw new IllegalArgumentException("an audit HMAC key is at least 32 bytes");
        }
        return new AuditKey(raw.clone(), origin);
    }

    /** The key derived from a software store's master KEK. */
    public static AuditKey fromMasterKek(MasterKek kek) {
        return new AuditKey(kek.derive(HKDF_INFO), "derived from master KEK " + kek.keyId());
    }

    /** An {@code hmac_key_file}: base64 of at least 32 random bytes, readable by its owner only. */
    public static AuditKey fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": the audit HMAC key file does not exist");
        }
        FilePermissions.requireOwnerOnly(file, "the audit trail's HMAC key");
        byte[] raw;
        try {
            raw = Base64.getMimeDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the audit HMAC key: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": the audit HMAC key is not valid base64");
        }
        if (raw.length < 32) {
            throw new ConfigException(file + ": the audit HMAC key must be at least 32 bytes, base64-encoded; it is "
                    + raw.length);
        }
        return new AuditKey(raw, file.toString());
    }

    /** HMAC-SHA256 of the parts, in order. */
    byte[] mac(byte[]... parts) {
        return mac(key, parts);
    }

    /** A MAC initialised with the key, for one thread that seals many lines (doFinal resets it). */
    Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] mac(SecretKeySpec key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    public String keyId() {
        return keyId;
    }

    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "AuditKey[" + keyId + ", " + origin + "]";
    }
}
