package org.portcullis.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.kmip.Kmip.CryptographicAlgorithm;
import org.portcullis.kmip.Kmip.ResultReason;
import org.portcullis.kmip.Kmip.SecretDataType;
import org.portcullis.kmip.Kmip.State;
import org.portcullis.kmip.ManagedObject.SecretData;
import org.portcullis.kmip.ManagedObject.SymmetricKey;
import org.portcullis.kmip.KmipOperationException.ItemNotFound;
import org.portcullis.kmip.KmipOperationException.PermissionDenied;

/** Every client operation against a real PyKMIP server ({@code scripts/kmip.sh}). */
class KmipClientIT {
    private static TestKmipServer server;
    private static KmipClient client;

    @BeforeAll
    static void connect() {
        server = TestKmipServer.require();
        client = new KmipClient(server.config().withCredential(new Credential("portcullis", "not-checked-by-pykmip")));
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Test
    void registerGetDestroySymmetricKey() {
        byte[] key = random(32);
        String uid = client.register(new SymmetricKey(CryptographicAlgorithm.AES, 256, key), List.of());

        assertThat(client.get(uid)).isEqualTo(new SymmetricKey(CryptographicAlgorithm.AES, 256, key));

        client.destroy(uid);
        assertThatThrownBy(() -> client.get(uid)).isInstanceOf(ItemNotFound.class)
                .satisfies(e -> assertThat(((KmipOperationException) e).reason()).isEqualTo(ResultReason.ITEM_NOT_FOUND));
    }

    @Test
    void secretDataComesBackByteForByte() {
        for (byte[] data : List.of(random(1), random(7), random(8), random(4096), "pässwörd".getBytes(StandardCharsets.UTF_8))) {
            String uid = client.register(new SecretData(SecretDataType.PASSWORD, data), List.of());
            assertThat(client.get(uid)).isEqualTo(new SecretData(SecretDataType.PASSWORD, data));
            client.destroy(uid);
        }
    }

    @Test
    void createMakesAKeyOnTheServer() {
        String name = "create-" + UUID.randomUUID();
        String uid = client.createSymmetricKey(CryptographicAlgorithm.AES, 256, List.of(Attribute.name(name)));

        ManagedObject key = client.get(uid);
        assertThat(key).isInstanceOf(SymmetricKey.class);
        assertThat(((SymmetricKey) key).material()).hasSize(32);
        assertThat(((SymmetricKey) key).algorithm()).isEqualTo(CryptographicAlgorithm.AES);
        client.destroy(uid);
    }

    @Test
    void locateFindsByName() {
        String name = "locate-" + UUID.randomUUID();
        String uid = client.register(new SecretData(SecretDataType.SEED, random(16)), List.of(Attribute.name(name)));

        assertThat(client.locate(List.of(Attribute.name(name)), 0)).containsExactly(uid);
        assertThat(client.locate(List.of(Attribute.name("absent-" + UUID.randomUUID())), 0)).isEmpty();
        client.destroy(uid);
    }

    @Test
    void getAttributesActivateRevoke() {
        String name = "attrs-" + UUID.randomUUID();
        String uid = client.createSymmetricKey(CryptographicAlgorithm.AES, 128, List.of(Attribute.name(name)));

        List<Attribute> attrs = client.getAttributes(uid, Attribute.NAME, Attribute.CRYPTOGRAPHIC_LENGTH, Attribute.STATE);
        assertThat(attrs).anySatisfy(a -> {
            assertThat(a.name()).isEqualTo(Attribute.NAME);
            assertThat(a.nameValue()).isEqualTo(name);
        });
        assertThat(attrs).anySatisfy(a -> {
            assertThat(a.name()).isEqualTo(Attribute.CRYPTOGRAPHIC_LENGTH);
            assertThat(a.intValue()).isEqualTo(128);
        });
        assertThat(state(uid)).isEqualTo(State.PRE_ACTIVE);

        client.activate(uid);
        assertThat(state(uid)).isEqualTo(State.ACTIVE);
        // PyKMIP refuses to destroy an active object: it must be revoked first.
        assertThatThrownBy(() -> client.destroy(uid)).isInstanceOf(PermissionDenied.class);

        client.revoke(uid, Kmip.RevocationReasonCode.CESSATION_OF_OPERATION, "test over");
        assertThat(state(uid)).isEqualTo(State.DEACTIVATED);
        client.destroy(uid);
    }

    private static int state(String uid) {
        return client.getAttributes(uid, Attribute.STATE).get(0).intValue();
    }

    @Test
    void getWithAttributesIsOneBatchedRoundTrip() {
        String name = "batch-" + UUID.randomUUID();
        byte[] data = random(24);
        String uid = client.register(new SecretData(SecretDataType.PASSWORD, data), List.of(Attribute.name(name)));

        KmipClient.Fetched fetched = client.getWithAttributes(uid, Attribute.NAME);

        assertThat(fetched.object()).isEqualTo(new SecretData(SecretDataType.PASSWORD, data));
        assertThat(fetched.attributes()).singleElement().extracting(Attribute::nameValue).isEqualTo(name);
        client.destroy(uid);
        assertThatThrownBy(() -> client.getWithAttributes(uid, Attribute.NAME)).isInstanceOf(ItemNotFound.class);
    }

    @Test
    void unknownUidIsItemNotFound() {
        assertThatThrownBy(() -> client.get("999999999")).isInstanceOf(ItemNotFound.class)
                .hasMessageContaining("Get failed: ITEM_NOT_FOUND");
        assertThatThrownBy(() -> client.destroy("999999999")).isInstanceOf(ItemNotFound.class);
    }

    @Test
    void anotherIdentityIsPermissionDenied() {
        String uid = client.register(new SecretData(SecretDataType.PASSWORD, random(16)), List.of());
        try (KmipClient other = new KmipClient(server.otherConfig())) {
            assertThatThrownBy(() -> other.get(uid)).isInstanceOf(PermissionDenied.class)
                    .satisfies(e -> assertThat(((KmipOperationException) e).reason()).isEqualTo(ResultReason.PERMISSION_DENIED));
            assertThatThrownBy(() -> other.destroy(uid)).isInstanceOf(PermissionDenied.class);
        }
        assertThat(client.get(uid)).isInstanceOf(SecretData.class);
        client.destroy(uid);
    }

    @Test
    void poolReusesConnectionsAndStaysBounded() throws Exception {
        try (KmipClient pooled = new KmipClient(server.config().withPoolSize(3))) {
            String uid = pooled.register(new SecretData(SecretDataType.PASSWORD, random(8)), List.of());
            for (int i = 0; i < 10; i++) {
                pooled.get(uid);
            }
            assertThat(pooled.connectionsOpened()).as("sequential requests share one connection").isEqualTo(1);

            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                List<Future<ManagedObject>> results = new ArrayList<>();
                for (int i = 0; i < 48; i++) {
                    results.add(threads.submit(() -> pooled.get(uid)));
                }
                for (Future<ManagedObject> f : results) {
                    assertThat(f.get()).isInstanceOf(SecretData.class);
                }
            } finally {
                threads.shutdown();
            }
            assertThat(pooled.connectionsOpened()).as("never more than the pool size").isBetween(1L, 3L);
            assertThat(pooled.idleConnections()).isLessThanOrEqualTo(3);
            pooled.destroy(uid);
        }
    }

    @Test
    void serverWithAnotherCaIsRefused(@TempDir Path dir) throws Exception {
        Path wrongCa = dir.resolve("wrong-ca.crt");
        // the client certificate is signed by the test CA but is not a CA itself: trusting only it
        // means the server's certificate cannot be validated
        Files.copy(server.cert(), wrongCa);
        try (KmipClient refused = new KmipClient(KmipClientConfig.of(server.host(), server.port(),
                PemTls.context(server.cert(), server.key(), wrongCa)))) {
            assertThatThrownBy(() -> refused.get("1")).isInstanceOf(KmipTlsException.class)
                    .hasMessageContaining("TLS handshake with KMIP server 127.0.0.1:" + server.port() + " failed");
        }
    }

    @Test
    void unreachableServerSaysSo() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (KmipClient nowhere = new KmipClient(KmipClientConfig.of("127.0.0.1", closedPort,
                PemTls.context(server.cert(), server.key(), server.ca())))) {
            assertThatThrownBy(() -> nowhere.get("1")).isInstanceOf(KmipUnavailableException.class)
                    .hasMessageStartingWith("KMIP server 127.0.0.1:" + closedPort + " unreachable");
        }
    }

    @Test
    void tlsBelow12IsNotOffered() {
        assertThatThrownBy(() -> server.config().withTlsProtocols(List.of("TLSv1.1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
