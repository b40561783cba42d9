package org.portcullis.quotas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/** Orders and consumers count against their project quotas, like secrets and containers. */
class QuotaEnforcementIT {

    @Test
    void ordersAndConsumersStopAtTheirQuota() throws Exception {
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE)) {
            String project = "quota-" + UUID.randomUUID();
            Api admin = new Api(server.url(), "cloud-admin", "admin", "root");
            assertThat(admin.putJson("/v1/project-quotas/" + project,
                    "{\"project_quotas\":{\"orders\":1,\"consumers\":1}}").status()).isEqualTo(204);
            Api api = new Api(server.url(), project);

            String order = "{\"type\":\"key\",\"meta\":{\"algorithm\":\"aes\",\"bit_length\":128}}";
            assertThat(api.postJson("/v1/orders", order).status()).isEqualTo(202);
            var refused = api.postJson("/v1/orders", order);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().get("description").asText()).contains("quota has been reached");

            String id = api.createText("consumed");
            String consumer = "{\"service\":\"nova\",\"resource_type\":\"instance\",\"resource_id\":\"vm-1\"}";
            assertThat(api.postJson("/v1/secrets/" + id + "/consumers", consumer).status()).isEqualTo(200);
            assertThat(api.postJson("/v1/secrets/" + id + "/consumers", consumer).status())
                    .as("registering the same consumer again needs no quota").isEqualTo(200);
            assertThat(api.postJson("/v1/secrets/" + id + "/consumers",
                    "{\"service\":\"nova\",\"resource_type\":\"instance\",\"resource_id\":\"vm-2\"}").status())
                    .isEqualTo(403);
            String container = api.postJson("/v1/containers", "{\"type\":\"generic\",\"name\":\"c\",\"secret_refs\":[]}")
                    .json().get("container_ref").asText();
            assertThat(api.postJson(container + "/consumers", "{\"name\":\"lb\",\"URL\":\"http://lb/1\"}").status())
                    .isEqualTo(403);
        }
    }
}
