package org.portcullis.transport;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.portcullis.crypto.Aead;
import org.portcullis.http.ApiException;

/**
 * The wire format of payloads wrapped for transport, with vetted primitives only: an AES-256
 * session key wrapped with the transport key under RSA-OAEP (SHA-256, MGF1-SHA-256), the payload
 * under AES-256-GCM with that session key.
 *
 * <pre>
 * upload   (PUT/POST with transport_key_id):  0x01 | u16 n | RSA-OAEP(session key) [n] | nonce [12] | GCM(payload)+tag
 * download (GET with trans_wrapped_session_key = base64 RSA-OAEP(session key)):  nonce [12] | GCM(payload)+tag
 * </pre>
 */
public final class TransportEnvelope {
    static final byte VERSION = 1;
    private static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
            PSource.PSpecified.DEFAULT);

    private TransportEnvelope() {}

    /** The payload inside an upload envelope; a malformed or tampered envelope is a 400. */
    public static byte[] open(PrivateKey transportKey, byte[] envelope) {
        try {
            ByteBuffer in = ByteBuffer.wrap(envelope);
            if (in.remaining() < 3 || in.get() != VERSION) {
                throw bad("it does not start with format version 1");
            }
            int n = Short.toUnsignedInt(in.getShort());
            if (in.remaining() < n + 12 + 16) {
                throw bad("it is shorter than its wrapped key, nonce and tag");
            }
            byte[] wrapped = new byte[n];
            in.get(wrapped);
            byte[] sessionKey = unwrapSessionKey(transportKey, wrapped);
            byte[] sealed = new byte[in.remaining()];
            in.get(sealed);
            return openSealed(sessionKey, sealed);
        } catch (GeneralSecurityException e) {
            throw bad("it does not decrypt with this transport key (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The AES session key a client wrapped with the transport key. */
    public static byte[] unwrapSessionKey(PrivateKey transportKey, byte[] wrapped) throws GeneralSecurityException {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.DECRYPT_MODE, transportKey, OAEP);
        byte[] key = rsa.doFinal(wrapped);
        if (key.length != 32) {
            throw new GeneralSecurityException("the session key must be 32 bytes (AES-256)");
        }
        return key;
    }

    /** {@code nonce | GCM(payload)}, the download format, under a client's session key (no header, no AAD). */
    public static byte[] sealForClient(byte[] sessionKey, byte[] payload) {
        return Aead.of(new SecretKeySpec(sessionKey, "AES")).seal(new byte[0], payload, new byte[0]);
    }

    /** Opens {@code nonce | GCM(data)} — the same layout both directions use. */
    private static byte[] openSealed(byte[] key, byte[] nonceAndSealed) throws GeneralSecurityException {
        return Aead.of(new SecretKeySpec(key, "AES")).open(nonceAndSealed, 0, new byte[0]);
    }

    private static ApiException bad(String why) {
        return ApiException.badRequest("The transport-wrapped payload is not valid: " + why + ".");
    }
}
