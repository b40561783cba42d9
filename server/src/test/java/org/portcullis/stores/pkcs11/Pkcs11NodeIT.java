package org.portcullis.stores.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.SoftHsm;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * A Portcullis node whose global default is the PKCS#11 store, on its own SoftHSM2 token
 * ({@code portcullis-runtime}), driven through the HTTP API: secrets round-trip; when the token
 * disappears at run time (its directory removed, sessions logged out) requests to the store fail
 * with 503 and a message that says no secret is lost, no partial row is left, and the store's
 * status in {@code /v1/secret-stores} and {@code /healthcheck} shows it.
 */
class Pkcs11NodeIT {
    private static final String TOKEN = "portcullis-runtime";

    @Test
    void secretsRoundTripAndAVanishedTokenIsA503WithTheStoreInError() throws Exception {
        SoftHsm.Env env = SoftHsm.require();
        assertThat(env.spareTokens()).contains(TOKEN);
        Path keysDir = java.nio.file.Files.createTempDirectory("p11-node");
        // No project-KEK cache, so every read goes to the HSM.
        String section = SoftHsm.storeSection(env, "hsm", true, TOKEN, "node-" + UUID.randomUUID())
                + "pkek_cache_ttl = 0\nsession_pool_size = 4\n";
        SoftHsm.createKeys(keysDir, section, "hsm");

        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE, List.of(),
                new TestServer.DefaultStore("hsm", section))) {
            Api api = new Api(server.url(), "p11-project");
            String id = api.createText("held by the HSM");
            assertThat(api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body())
                    .isEqualTo("held by the HSM");
            JsonNode hsm = store(api, "hsm");
            assertThat(hsm.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(hsm.get("crypto_plugin").asText()).isEqualTo("p11_crypto");
            assertThat(hsm.get("health").get("ok").asBoolean()).isTrue();
            assertThat(hsm.get("global_default").asBoolean()).isTrue();
            String secretRef = api.get("/v1/secrets/" + id).json().get("secret_ref").asText();

            TokenDirectory.TokenEntry entry = TokenDirectory.list(env.library()).stream()
                    .filter(t -> t.label().equals(TOKEN)).findFirst().orElseThrow();
            Path tokenDir = tokenDirectory(env, entry.serialNumber());
            Path aside = tokenDir.resolveSibling("removed-" + tokenDir.getFileName());
            Pkcs11StoreIT.logOut(entry.slotId()); // every session of the token loses its login…
            java.nio.file.Files.move(tokenDir, aside); // …and the token is gone, as if unplugged
            try {

                Api.Response read = api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain");
                assertThat(read.status()).as(read.body()).isEqualTo(503);
                assertThat(read.json().get("code").asInt()).isEqualTo(503);
                assertThat(read.json().get("description").asText())
                        .contains("HSM unreachable").contains("CKR_").contains("no secret is lost")
                        .doesNotContain(env.pin());
                Api.Response create = api.postJson("/v1/secrets", "{\"payload\":\"x\",\"payload_content_type\":\"text/plain\"}");
                assertThat(create.status()).as(create.body()).isEqualTo(503);
                assertThat(api.get("/v1/secrets?limit=100").json().get("total").asInt()).isEqualTo(1); // no partial row

                Api.Response health = api.get("/healthcheck");
                assertThat(health.status()).as(health.body()).isEqualTo(503);
                Thread.sleep(5_100); // past the secret-stores status cache
                JsonNode failing = store(api, "hsm");
                assertThat(failing.get("status").asText()).isEqualTo("ERROR");
                assertThat(failing.get("health").get("ok").asBoolean()).isFalse();
                assertThat(failing.get("health").get("secrets_at_risk").asBoolean()).isFalse();
                assertThat(failing.get("health").get("detail").asText()).contains("HSM unreachable");
                assertThat(store(api, "software").get("status").asText()).isEqualTo("ACTIVE");
            } finally {
                // SoftHSM2 does not re-attach a token within a process once it saw it vanish (see the
                // notes in Pkcs11StoreIT for recovery after a logout); restore it for other runs.
                java.nio.file.Files.move(aside, tokenDir);
            }
            assertThat(secretRef).endsWith(id);
        }
    }

    /** SoftHSM2 keeps each token in a directory named by a UUID that ends with the token's serial number. */
    private static Path tokenDirectory(SoftHsm.Env env, String serial) throws Exception {
        Path tokens = Path.of(java.nio.file.Files.readAllLines(env.conf()).stream()
                .filter(l -> l.startsWith("directories.tokendir")).findFirst().orElseThrow().split("=", 2)[1].strip());
        try (var dirs = java.nio.file.Files.list(tokens)) {
            List<Path> match = dirs.filter(d -> d.getFileName().toString().replace("-", "").endsWith(serial)).toList();
            assertThat(match).as("token directory of serial %s in %s", serial, tokens).hasSize(1);
            return match.get(0);
        }
    }

    private static JsonNode store(Api api, String name) {
        Api.Response list = api.get("/v1/secret-stores");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        for (JsonNode s : list.json().get("secret_stores")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no store " + name + " in " + list.body());
    }

}
