package org.portcullis.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/** Key orders generate secrets synchronously; bad orders are 400 or ERROR, never 500. */
class OrdersApiIT {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void keyOrdersBecomeActiveWithAGeneratedSecret(TestDatabases.Kind kind) throws Exception {
        try (TestServer server = TestServer.start(kind)) {
            Api api = new Api(server.url(), "orders-" + UUID.randomUUID());
            // XTS takes two AES keys: bit_length 512 is AES-256-XTS.
            var created = api.postJson("/v1/orders", "{\"type\":\"key\",\"meta\":{\"name\":\"disk\",\"algorithm\":\"aes\","
                    + "\"bit_length\":512,\"mode\":\"xts\",\"payload_content_type\":\"application/octet-stream\"}}");
            assertThat(created.status()).isEqualTo(202);
            String orderRef = created.json().get("order_ref").asText();
            assertThat(created.header("Location")).isEqualTo(orderRef);
            JsonNode order = api.get(orderRef).json();
            assertThat(order.get("status").asText()).isEqualTo("ACTIVE");
            assertThat(order.get("meta").get("bit_length").asInt()).isEqualTo(512);
            String secretRef = order.get("secret_ref").asText();
            JsonNode secret = api.get(secretRef).json();
            assertThat(secret.get("secret_type").asText()).isEqualTo("symmetric");
            assertThat(secret.get("name").asText()).isEqualTo("disk");
            assertThat(api.get(secretRef + "/payload", "Accept", "application/octet-stream").bytes()).hasSize(64);

            assertThat(api.get("/v1/orders").json().get("total").asInt()).isEqualTo(1);
            assertThat(api.as("other-project", null, null).get(orderRef).status()).isEqualTo(404);
            assertThat(api.delete(orderRef).status()).isEqualTo(204);
            assertThat(api.get(orderRef).status()).isEqualTo(404);
            assertThat(api.get(secretRef).status()).as("deleting an order keeps its secret").isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabases.Kind.class, names = "SQLITE")
    void invalidOrdersAre400AndUnsupportedKeysAreErrorOrders(TestDatabases.Kind kind) throws Exception {
        try (TestServer server = TestServer.start(kind)) {
            Api api = new Api(server.url(), "orders-" + UUID.randomUUID());
            for (String body : new String[] {
                "{\"type\":\"key\",\"meta\":{\"algorithm\":\"aes\",\"bit_length\":100}}",
                "{\"type\":\"key\",\"meta\":{\"bit_length\":256}}",
                "{\"type\":\"key\",\"meta\":{\"algorithm\":\"aes\"}}",
                "{\"type\":\"key\"}",
                "{\"type\":\"nonsense\",\"meta\":{}}",
                "{\"type\":\"certificate\",\"meta\":{}}",
                "{\"type\":\"key\",\"meta\":{\"algorithm\":\"aes\",\"bit_length\":256,\"payload\":\"x\"}}",
            }) {
                var r = api.postJson("/v1/orders", body);
                assertThat(r.status()).as(body).isEqualTo(400);
                assertThat(r.json().get("title").asText()).isEqualTo("Bad Request");
            }
            int secretsBefore = server.app().database().read(h -> h.createQuery("SELECT count(*) FROM secrets")
                    .mapTo(Integer.class).one());
            var r = api.postJson("/v1/orders", "{\"type\":\"key\",\"meta\":{\"algorithm\":\"blowfish\",\"bit_length\":128}}");
            assertThat(r.status()).isEqualTo(202);
            JsonNode order = api.get(r.json().get("order_ref").asText()).json();
            assertThat(order.get("status").asText()).isEqualTo("ERROR");
            assertThat(order.get("error_status_code").asText()).isEqualTo("400");
            assertThat(order.get("error_reason").asText()).contains("blowfish");
            assertThat(order.has("secret_ref")).isFalse();
            int secretsAfter = server.app().database().read(h -> h.createQuery("SELECT count(*) FROM secrets")
                    .mapTo(Integer.class).one());
            assertThat(secretsAfter).isEqualTo(secretsBefore);
        }
    }
}
