package org.portcullis.stores;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.stores.vault.FakeVaultServer;
import org.portcullis.testing.Api;
import org.portcullis.testing.KmipTestStore;
import org.portcullis.testing.SoftHsm;
import org.portcullis.testing.TestServer;

/**
 * The multi-store configuration of Barbican's backend guide, as written (software, kmip, vault;
 * kmip the global default), plus a {@code store_crypto} + {@code p11_crypto} store beside them:
 * every store listed, each project's preferred store holding that project's new secrets, each
 * payload read back, and the global default taking the rest. KMIP is the real PyKMIP server,
 * PKCS#11 the SoftHSM2 token, Vault the in-project fake of its documented API.
 */
class BarbicanGuideMultiStoreIT {
    @Test
    void guideConfigurationServesEveryStoreSideBySide() throws Exception {
        KmipTestStore.require();
        SoftHsm.require();
        Path dir = Files.createTempDirectory("portcullis-guide-it");
        try (FakeVaultServer vault = FakeVaultServer.start()) {
            String conf = TestServer.multiStoreHead("sqlite:///" + dir.resolve("guide.sqlite"), dir,
                    "software, kmip, vault, pkcs11") + """

                    [secretstore:software]
                    secret_store_plugin = store_crypto
                    crypto_plugin = simple_crypto

                    [secretstore:kmip]
                    secret_store_plugin = kmip_plugin
                    global_default = True

                    [secretstore:vault]
                    secret_store_plugin = vault_plugin

                    %s

                    [simple_crypto_plugin]
                    kek_file = %s

                    %s

                    [vault_plugin]
                    vault_url = %s
                    root_token_id = %s
                    """.formatted(SoftHsm.storeWithKeys(dir, "pkcs11", false), TestServer.kek(dir.resolve("kek")),
                    String.join("\n", KmipTestStore.pluginSection()), vault.url(), vault.createToken(""));
            try (TestServer server = TestServer.startWithConfig(dir, conf)) {
                Api admin = new Api(server.url(), "guide-admin");
                Map<String, String> refs = new HashMap<>();
                for (JsonNode s : admin.get("/v1/secret-stores").json().get("secret_stores")) {
                    refs.put(s.get("name").asText(), s.get("secret_store_ref").asText());
                    assertThat(s.get("global_default").asBoolean()).isEqualTo(s.get("name").asText().equals("kmip"));
                }
                assertThat(refs).containsOnlyKeys("software", "kmip", "vault", "pkcs11");

                for (String store : refs.keySet()) {
                    Api project = new Api(server.url(), "p-" + store + "-" + UUID.randomUUID().toString().substring(0, 8));
                    assertThat(project.postJson(refs.get(store) + "/preferred", "").status()).isEqualTo(204);
                    String id = project.createText("held by " + store);
                    assertThat(storeOf(server, id)).isEqualTo(store);
                    assertThat(project.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body())
                            .isEqualTo("held by " + store);
                    assertThat(project.delete("/v1/secrets/" + id).status()).isEqualTo(204);
                }
                Api other = new Api(server.url(), "p-no-preference");
                String id = other.createText("held by the global default");
                assertThat(storeOf(server, id)).isEqualTo("kmip");
                assertThat(other.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body())
                        .isEqualTo("held by the global default");
            }
        }
    }

    private static String storeOf(TestServer server, String secretId) {
        return server.app().database().read(h -> h.createQuery("SELECT s.name FROM secrets x JOIN secret_stores s "
                + "ON s.id = x.store_id WHERE x.id = :id").bind("id", secretId).mapTo(String.class).one());
    }
}
