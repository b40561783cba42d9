package org.portcullis.stores.software;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.portcullis.config.ConfigException;
import org.portcullis.config.FilePermissions;
import org.portcullis.config.PortcullisConfig.KekSource;
import org.portcullis.crypto.Aead;
import org.portcullis.crypto.Hkdf;
import org.portcullis.crypto.WrappedKey;

/**
 * A software store's master key-encryption key: 32 bytes, base64 in {@code kek_file} (mode 0400
 * or 0600, refused otherwise) or inline as Barbican's {@code kek}. It only ever wraps project
 * KEKs. Its {@link #keyId()} is a fingerprint (HMAC of a constant under the key) that is safe to
 * store and log: it identifies the key without revealing it.
 */
public final class MasterKek {
    static final int KEY_ID_BYTES = WrappedKey.MASTER_ID_BYTES;
    private static final byte[] FINGERPRINT_LABEL = "portcullis master KEK fingerprint v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKey key;
    private final byte[] keyId;
    private final String origin;

    private MasterKek(byte[] raw, String origin) {
        this.key = new SecretKeySpec(raw, "AES");
        this.keyId = fingerprint(raw);
        this.origin = origin;
    }

    public static MasterKek load(KekSource source) {
        String text;
        String origin;
        if (source.file() != null) {
            origin = source.file().toString();
            if (!Files.isRegularFile(source.file())) {
                throw new ConfigException(source.origin() + ": master KEK file " + origin + " does not exist");
            }
            FilePermissions.requireOwnerOnly(source.file(), "a master KEK");
            try {
                text = Files.readString(source.file(), StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new ConfigException(source.origin() + ": cannot read master KEK file " + origin + ": "
                        + e.getMessage(), e);
            }
        } else {
            origin = source.origin();
            text = source.inlineBase64().strip();
        }
        return new MasterKek(decode(text, source.origin() + (source.file() == null ? "" : " (" + origin + ")")), origin);
    }

    /** For tests and for generating a new key. */
    public static MasterKek of(byte[] raw, String origin) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("a master KEK is 32 bytes");
        }
        return new MasterKek(raw.clone(), origin);
    }

    private static byte[] decode(String text, String where) {
        byte[] raw;
        try {
            raw = text.contains("-") || text.contains("_")
                    ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": the master KEK is not valid base64");
        }
        if (raw.length != 32) {
            throw new ConfigException(where + ": the master KEK must be 32 bytes (AES-256), base64-encoded; it is "
                    + raw.length + " bytes");
        }
        return raw;
    }

    private static byte[] fingerprint(byte[] raw) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(raw, "HmacSHA256"));
            byte[] full = mac.doFinal(FINGERPRINT_LABEL);
            byte[] id = new byte[KEY_ID_BYTES];
            System.arraycopy(full, 0, id, 0, KEY_ID_BYTES);
            return id;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    SecretKey key() {
        return key;
    }

    /** The key-bound AEAD that wraps project KEKs; only this store's classes use it. */
    Aead aead() {
        return Aead.of(key);
    }

    byte[] keyIdBytes() {
        return keyId.clone();
    }

    /**
     * A 32-byte key for another purpose, derived with HKDF-SHA256 (no salt, {@code info} as
     * given). The master KEK itself never leaves this class; a derived key reveals nothing about it.
     */
    public byte[] derive(String info) {
        return Hkdf.derive(null, key.getEncoded(), info.getBytes(StandardCharsets.UTF_8), 32);
    }

    /** The fingerprint, in hex, as recorded in the database. */
    public String keyId() {
        return HexFormat.of().formatHex(keyId);
    }

    /** Where the key came from (file path or config key), for messages; never the key. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "MasterKek[" + keyId() + " from " + origin + "]";
    }
}
