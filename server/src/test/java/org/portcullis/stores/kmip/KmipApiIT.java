package org.portcullis.stores.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.kmip.Attribute;
import org.portcullis.kmip.KmipClient;
import org.portcullis.kmip.KmipClientConfig;
import org.portcullis.kmip.KmipOperationException;
import org.portcullis.kmip.ManagedObject;
import org.portcullis.kmip.PemTls;
import org.portcullis.stores.SecretBinding;
import org.portcullis.testing.Api;
import org.portcullis.testing.KmipTestStore;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * The REST API with the KMIP store as global default, configured with the multi-store example
 * of Barbican's guide (software + kmip, kmip the default), checked on the PyKMIP server itself
 * with a client of its own.
 */
class KmipApiIT {
    @TempDir
    Path dir;

    private String config(List<String> kmipPlugin) throws Exception {
        String sql = TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir);
        return TestServer.multiStoreHead(sql, dir, "software, kmip") + """

                [secretstore:software]
                secret_store_plugin = store_crypto
                crypto_plugin = simple_crypto

                [secretstore:kmip]
                secret_store_plugin = kmip_plugin
                global_default = True

                [simple_crypto_plugin]
                kek_file = %s

                %s
                """.formatted(TestServer.kek(dir.resolve("kek")), String.join("\n", kmipPlugin));
    }

    private static KmipClient verifier() {
        return new KmipClient(KmipClientConfig.of(KmipTestStore.env("HOST"), Integer.parseInt(KmipTestStore.env("PORT")),
                PemTls.context(Path.of(KmipTestStore.env("CERT")), Path.of(KmipTestStore.env("KEY")),
                        Path.of(KmipTestStore.env("CA")))));
    }

    private static String uidOf(KmipClient client, String storeId, String project, String secretId) {
        List<String> uids = client.locate(List.of(Attribute.name(KmipStore.bindingName(
                new SecretBinding(secretId, project, storeId)))), 0);
        assertThat(uids).hasSize(1);
        return uids.get(0);
    }

    private static String id(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    @Test
    void secretsAndOrdersLiveOnTheKmipServer() throws Exception {
        try (TestServer server = TestServer.startWithConfig(dir, config(KmipTestStore.pluginSection()));
                KmipClient kmip = verifier()) {
            String storeId = server.app().stores().globalDefault().info().id();
            assertThat(server.app().stores().plugins()).filteredOn(s -> s.info().globalDefault()).singleElement()
                    .isInstanceOf(KmipStore.class);
            String project = "kmip-" + UUID.randomUUID();
            Api api = new Api(server.url(), project);

            byte[] payload = "a passphrase kept by KMIP".getBytes(StandardCharsets.UTF_8);
            var created = api.postJson("/v1/secrets", "{\"name\":\"p\",\"secret_type\":\"passphrase\",\"payload\":\""
                    + Base64.getEncoder().encodeToString(payload) + "\",\"payload_content_type\":\"application/octet-stream\","
                    + "\"payload_content_encoding\":\"base64\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String secretRef = created.json().get("secret_ref").asText();
            String uid = uidOf(kmip, storeId, project, id(secretRef));
            assertThat(kmip.get(uid)).isEqualTo(new ManagedObject.SecretData(1, payload));

            assertThat(api.get(secretRef + "/payload", "Accept", "application/octet-stream").bytes()).isEqualTo(payload);

            assertThat(api.delete(secretRef).status()).isEqualTo(204);
            assertThatThrownBy(() -> kmip.get(uid)).isInstanceOf(KmipOperationException.ItemNotFound.class);

            var order = api.postJson("/v1/orders", "{\"type\":\"key\",\"meta\":{\"name\":\"k\",\"algorithm\":\"aes\","
                    + "\"bit_length\":256,\"mode\":\"cbc\",\"payload_content_type\":\"application/octet-stream\"}}");
            assertThat(order.status()).as(order.body()).isEqualTo(202);
            JsonNode done = api.get(order.json().get("order_ref").asText()).json();
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("ACTIVE");
            String keyRef = done.get("secret_ref").asText();
            String keyUid = uidOf(kmip, storeId, project, id(keyRef));
            ManagedObject key = kmip.get(keyUid);
            assertThat(key).isInstanceOf(ManagedObject.SymmetricKey.class);
            assertThat(api.get(keyRef + "/payload", "Accept", "application/octet-stream").bytes())
                    .isEqualTo(((ManagedObject.SymmetricKey) key).material());

            var health = api.get("/healthcheck");
            assertThat(health.status()).as(health.body()).isEqualTo(200);
        }
    }

    @Test
    void unreachableKmipServerIs503AndNoSecretIsLost() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        List<String> plugin = KmipTestStore.pluginSection().stream()
                .map(l -> l.startsWith("port = ") ? "port = " + closedPort : l).toList();
        try (TestServer server = TestServer.startWithConfig(dir, config(plugin))) {
            Api api = new Api(server.url(), "kmip-down");

            var created = api.postJson("/v1/secrets", "{\"name\":\"p\",\"payload\":\"x\",\"payload_content_type\":\"text/plain\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(503);
            assertThat(created.json().get("title").asText()).isEqualTo("Service Unavailable");
            assertThat(api.get("/v1/secrets").json().get("total").asInt()).as("no half-created secret").isZero();

            var health = api.get("/healthcheck");
            assertThat(health.status()).isEqualTo(503);
            JsonNode kmipHealth = health.json().get("stores").get(1);
            assertThat(kmipHealth.get("name").asText()).isEqualTo("kmip");
            assertThat(kmipHealth.get("secrets_at_risk").asBoolean()).isFalse();
            assertThat(kmipHealth.get("detail").asText()).contains("KMIP server 127.0.0.1:" + closedPort
                    + " unreachable: no secret is lost, reads fail until it returns");
        }
    }

    @Test
    void groupReadableKeyFileStopsTheServerNamingIt() throws Exception {
        KmipTestStore.require();
        Path key = dir.resolve("client.key");
        Files.copy(Path.of(KmipTestStore.env("KEY")), key);
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        List<String> plugin = KmipTestStore.pluginSection().stream()
                .map(l -> l.startsWith("keyfile = ") ? "keyfile = " + key : l).toList();

        assertThatThrownBy(() -> TestServer.startWithConfig(dir, config(plugin)))
                .hasMessageContaining(key.toString()).hasMessageContaining("0644")
                .hasMessageContaining("[kmip_plugin] keyfile");
    }
}
