package org.portcullis.stores.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * The Vault store through the Barbican API: as a project's preferred store beside the software
 * global default, and as the global default itself; a sealed Vault answers 503 and loses nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VaultApiIT {
    private FakeVaultServer vault;

    @BeforeAll
    void startVault() throws Exception {
        vault = FakeVaultServer.start();
    }

    @AfterAll
    void stopVault() {
        vault.close();
    }

    private String storeOf(TestServer server, String secretId) {
        return server.app().database().read(h -> h.createQuery("SELECT s.name FROM secrets x JOIN secret_stores s "
                + "ON s.id = x.store_id WHERE x.id = :id").bind("id", secretId).mapTo(String.class).one());
    }

    @Test
    void preferredVaultStoreHoldsTheProjectsNewSecretsAndASealedVaultIs503() throws Exception {
        vault.seal(false);
        try (TestServer server = VaultNodes.start(TestDatabases.Kind.SQLITE, vault, false, "")) {
            Api project = new Api(server.url(), "p-" + UUID.randomUUID().toString().replace("-", ""));
            String vaultRef = null;
            for (JsonNode s : project.get("/v1/secret-stores").json().get("secret_stores")) {
                if (s.get("name").asText().equals("vault")) {
                    assertThat(s.get("global_default").asBoolean()).isFalse();
                    vaultRef = s.get("secret_store_ref").asText();
                }
            }
            assertThat(vaultRef).isNotNull();
            String inSoftware = project.createText("software payload");
            assertThat(project.postJson(vaultRef + "/preferred", "").status()).isEqualTo(204);
            String inVault = project.createText("vault payload");
            assertThat(storeOf(server, inSoftware)).isEqualTo("software");
            assertThat(storeOf(server, inVault)).isEqualTo("vault");
            assertThat(project.get("/v1/secrets/" + inVault + "/payload", "Accept", "text/plain").body())
                    .isEqualTo("vault payload");

            vault.seal(true);
            Api.Response sealed = project.get("/v1/secrets/" + inVault + "/payload", "Accept", "text/plain");
            assertThat(sealed.status()).isEqualTo(503);
            assertThat(sealed.json().get("code").asInt()).isEqualTo(503);
            assertThat(sealed.json().get("description").asText()).contains("temporarily unavailable")
                    .doesNotContain(vault.url());
            assertThat(project.postJson("/v1/secrets", "{\"payload\":\"x\",\"payload_content_type\":\"text/plain\"}")
                    .status()).as("a create while sealed leaves no row").isEqualTo(503);
            // Secrets in the software store are unaffected.
            assertThat(project.get("/v1/secrets/" + inSoftware + "/payload", "Accept", "text/plain").status())
                    .isEqualTo(200);
            JsonNode health = project.get("/healthcheck").json();
            assertThat(health.get("status").asText()).isEqualTo("FAILING");
            for (JsonNode s : health.get("stores")) {
                if (s.get("name").asText().equals("vault")) {
                    assertThat(s.get("ok").asBoolean()).isFalse();
                    assertThat(s.get("secrets_at_risk").asBoolean()).isFalse();
                }
            }

            vault.seal(false);
            assertThat(project.get("/v1/secrets/" + inVault + "/payload", "Accept", "text/plain").body())
                    .isEqualTo("vault payload");
            assertThat(project.get("/v1/secrets?limit=100").json().get("total").asInt())
                    .as("only the two secrets created while unsealed").isEqualTo(2);
            assertThat(project.get("/healthcheck").status()).isEqualTo(200);

            String project_ = server.app().database().read(h -> h.createQuery("SELECT project_id FROM secrets WHERE id = :id")
                    .bind("id", inVault).mapTo(String.class).one());
            String path = "barbican/" + VaultStore.projectSegment(project_) + "/" + inVault;
            assertThat(vault.exists("", "secret", path)).isTrue();
            assertThat(project.delete("/v1/secrets/" + inVault).status()).isEqualTo(204);
            assertThat(vault.exists("", "secret", path)).as("deleting the secret destroys the Vault entry").isFalse();
        } finally {
            vault.seal(false);
        }
    }

    @Test
    void vaultAsGlobalDefaultStoresSecretsAndOrderedKeys() throws Exception {
        try (TestServer server = VaultNodes.start(TestDatabases.Kind.SQLITE, vault, true, "")) {
            Api project = new Api(server.url(), "p-" + UUID.randomUUID().toString().replace("-", ""));
            assertThat(project.get("/v1/secret-stores/global-default").json().get("name").asText()).isEqualTo("vault");
            String id = project.createText("default is vault");
            assertThat(storeOf(server, id)).isEqualTo("vault");
            assertThat(project.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body())
                    .isEqualTo("default is vault");

            Api.Response order = project.postJson("/v1/orders", "{\"type\":\"key\",\"meta\":{\"name\":\"k\","
                    + "\"algorithm\":\"aes\",\"bit_length\":256,\"mode\":\"cbc\","
                    + "\"payload_content_type\":\"application/octet-stream\"}}");
            assertThat(order.status()).as(order.body()).isEqualTo(202);
            String orderRef = order.json().get("order_ref").asText();
            JsonNode done = project.get(orderRef.substring(orderRef.indexOf("/v1/"))).json();
            assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("ACTIVE");
            String secretRef = done.get("secret_ref").asText();
            String keyId = secretRef.substring(secretRef.lastIndexOf('/') + 1);
            assertThat(storeOf(server, keyId)).isEqualTo("vault");
            assertThat(project.get("/v1/secrets/" + keyId + "/payload", "Accept", "application/octet-stream").bytes())
                    .hasSize(32);
        }
    }
}
