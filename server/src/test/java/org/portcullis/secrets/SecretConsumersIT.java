package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * Secret consumers and the delete guard: from microversion 1.2 (as upstream) a secret that a
 * volume or image still uses is kept unless the caller forces the delete.
 */
class SecretConsumersIT {
    private static final String V11 = "key-manager 1.1";
    private static final String V12 = "key-manager 1.2";
    private static final String CONSUMER = "{\"service\":\"cinder\",\"resource_type\":\"volume\",\"resource_id\":\"vol-1\"}";

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void consumersGuardDeletesFromMicroversion12(TestDatabases.Kind kind) throws Exception {
        try (TestServer server = TestServer.start(kind)) {
            Api api = new Api(server.url(), "consumers-" + UUID.randomUUID());
            String id = api.createText("volume key");
            String consumers = "/v1/secrets/" + id + "/consumers";
            var added = api.postJson(consumers, CONSUMER, "OpenStack-API-Version", V11);
            assertThat(added.status()).isEqualTo(200);
            assertThat(added.json().get("consumers").get(0).get("resource_id").asText()).isEqualTo("vol-1");
            assertThat(api.postJson(consumers, CONSUMER).status()).as("registering again is harmless").isEqualTo(200);
            var listed = api.get(consumers).json();
            assertThat(listed.get("total").asInt()).isEqualTo(1);
            assertThat(listed.get("consumers").get(0).get("status").asText()).isEqualTo("ACTIVE");
            assertThat(api.postJson(consumers, "{\"service\":\"cinder\"}").status()).isEqualTo(400);

            var refused = api.delete("/v1/secrets/" + id, "OpenStack-API-Version", V12);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("description").asText()).contains("cinder/volume/vol-1").contains("force");
            assertThat(api.get("/v1/secrets/" + id).status()).isEqualTo(200);
            assertThat(api.delete("/v1/secrets/" + id + "?force=maybe", "OpenStack-API-Version", V12).status()).isEqualTo(400);

            var removed = api.send("DELETE", consumers, "application/json", CONSUMER.getBytes());
            assertThat(removed.status()).isEqualTo(200);
            assertThat(removed.json().get("consumers")).isEmpty();
            assertThat(api.send("DELETE", consumers, "application/json", CONSUMER.getBytes()).status()).isEqualTo(404);

            api.postJson(consumers, CONSUMER);
            assertThat(api.delete("/v1/secrets/" + id + "?force=true", "OpenStack-API-Version", V12).status())
                    .isEqualTo(204);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabases.Kind.class, names = "SQLITE")
    void olderMicroversionsDeleteLikeBarbican15UnlessTheOperatorProtects(TestDatabases.Kind kind) throws Exception {
        try (TestServer server = TestServer.start(kind)) {
            Api api = new Api(server.url(), "consumers-" + UUID.randomUUID());
            String id = api.createText("k");
            api.postJson("/v1/secrets/" + id + "/consumers", CONSUMER);
            assertThat(api.delete("/v1/secrets/" + id).status()).isEqualTo(204);
        }
        try (TestServer server = TestServer.start(kind, List.of("[portcullis]", "protect_consumed_secrets = true"))) {
            Api api = new Api(server.url(), "consumers-" + UUID.randomUUID());
            String id = api.createText("k");
            api.postJson("/v1/secrets/" + id + "/consumers", CONSUMER);
            assertThat(api.delete("/v1/secrets/" + id).status()).isEqualTo(400);
        }
    }
}
