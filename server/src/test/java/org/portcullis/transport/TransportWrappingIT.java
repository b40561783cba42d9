package org.portcullis.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * Client-side encryption with transport keys on the software store (where Barbican answers
 * 500): the client wraps its payload for the server and unwraps what the server wraps for it,
 * written here as a client would, from the documented format alone.
 */
class TransportWrappingIT {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final OAEPParameterSpec OAEP = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
            PSource.PSpecified.DEFAULT);

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void wrappedPayloadsTravelBothWays(TestDatabases.Kind kind) throws Exception {
        try (TestServer server = TestServer.start(kind)) {
            Api api = new Api(server.url(), "transport-" + UUID.randomUUID());
            var created = api.postJson("/v1/secrets", "{\"name\":\"wrapped\",\"transport_key_needed\":\"true\"}");
            assertThat(created.status()).isEqualTo(201);
            String secretRef = created.json().get("secret_ref").asText();
            String keyRef = created.json().get("transport_key_ref").asText();
            String keyId = keyRef.substring(keyRef.lastIndexOf('/') + 1);
            PublicKey transportKey = publicKey(api.get(keyRef).json().get("transport_key").asText());

            byte[] secret = "the volume key".getBytes(StandardCharsets.UTF_8);
            byte[] envelope = wrapForServer(transportKey, secret);
            assertThat(api.put(secretRef + "?transport_key_id=" + keyId, "application/octet-stream", envelope).status())
                    .isEqualTo(204);
            assertThat(api.get(secretRef + "/payload", "Accept", "application/octet-stream").bytes()).isEqualTo(secret);

            // Reading back wrapped: the server seals the payload under the client's session key.
            byte[] sessionKey = new byte[32];
            RANDOM.nextBytes(sessionKey);
            String wrappedKey = Base64.getEncoder().encodeToString(rsa(transportKey, sessionKey));
            var wrapped = api.get(secretRef + "/payload?transport_key_id=" + keyId + "&trans_wrapped_session_key="
                    + URLEncoder.encode(wrappedKey, StandardCharsets.UTF_8), "Accept", "application/octet-stream");
            assertThat(wrapped.status()).isEqualTo(200);
            assertThat(openFromServer(sessionKey, wrapped.bytes())).isEqualTo(secret);
            assertThat(api.get(secretRef + "/payload?trans_wrapped_session_key=" + URLEncoder.encode(wrappedKey,
                    StandardCharsets.UTF_8)).status()).isEqualTo(400);

            // One step: POST with the wrapped payload.
            String b64 = Base64.getEncoder().encodeToString(wrapForServer(transportKey, secret));
            var oneStep = api.postJson("/v1/secrets", "{\"payload\":\"" + b64 + "\",\"payload_content_type\":"
                    + "\"application/octet-stream\",\"payload_content_encoding\":\"base64\",\"transport_key_id\":\""
                    + keyId + "\"}");
            assertThat(oneStep.status()).isEqualTo(201);
            assertThat(api.get(oneStep.json().get("secret_ref").asText() + "/payload", "Accept",
                    "application/octet-stream").bytes()).isEqualTo(secret);

            // A tampered envelope is refused and stores nothing.
            byte[] tampered = wrapForServer(transportKey, secret);
            tampered[tampered.length - 1] ^= 1;
            String later = api.postJson("/v1/secrets", "{\"transport_key_needed\":\"true\"}").json()
                    .get("secret_ref").asText();
            assertThat(api.put(later + "?transport_key_id=" + keyId, "application/octet-stream", tampered).status())
                    .isEqualTo(400);
            assertThat(api.get(later + "/payload").status()).isEqualTo(404);
        }
    }

    private static PublicKey publicKey(String pem) throws Exception {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static byte[] rsa(PublicKey key, byte[] data) throws Exception {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(Cipher.ENCRYPT_MODE, key, OAEP);
        return rsa.doFinal(data);
    }

    /** 0x01 | u16 n | RSA-OAEP(session key) | nonce | AES-GCM(payload) */
    private static byte[] wrapForServer(PublicKey key, byte[] payload) throws Exception {
        byte[] sessionKey = new byte[32];
        RANDOM.nextBytes(sessionKey);
        byte[] wrappedKey = rsa(key, sessionKey);
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"), new GCMParameterSpec(128, nonce));
        byte[] sealed = gcm.doFinal(payload);
        return ByteBuffer.allocate(3 + wrappedKey.length + 12 + sealed.length).put((byte) 1)
                .putShort((short) wrappedKey.length).put(wrappedKey).put(nonce).put(sealed).array();
    }

    private static byte[] openFromServer(byte[] sessionKey, byte[] nonceAndSealed) throws Exception {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(sessionKey, "AES"), new GCMParameterSpec(128, nonceAndSealed, 0, 12));
        return gcm.doFinal(nonceAndSealed, 12, nonceAndSealed.length - 12);
    }
}
