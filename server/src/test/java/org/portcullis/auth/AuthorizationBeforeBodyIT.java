package org.portcullis.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portcullis.http.Json;
import org.portcullis.testing.Api;
import org.portcullis.testing.NodePerClass;
import org.portcullis.testing.TestDatabases;

/**
 * A caller who may not make a change gets 403, audited as a denial, whatever body it sent: on
 * every mutating route family the policy check comes before the body is read, so a malformed
 * body (or one wrapped with a transport key that does not exist) is never evaluated for it.
 */
class AuthorizationBeforeBodyIT extends NodePerClass {
    private static final String V11 = "key-manager 1.1";
    private static final byte[] MALFORMED = "{\"not json".getBytes(StandardCharsets.UTF_8);

    private final String project = "owner-" + UUID.randomUUID();
    private Api owner;
    private Api reader;
    private Api stranger;
    private String secret;
    private String container;

    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }

    @BeforeAll
    void resources() {
        owner = new Api(server.url(), project, "member", "alice");
        reader = owner.as(project, "reader", "rita");
        stranger = owner.as("other-" + UUID.randomUUID(), "member", "mallory");
        secret = "/v1/secrets/" + owner.postJson("/v1/secrets", "{\"name\":\"two-step\"}").json().get("secret_ref")
                .asText().replaceAll(".*/", "");
        owner.putJson(secret + "/metadata", "{\"metadata\":{\"k\":\"v\"}}");
        container = "/v1/containers/" + owner.postJson("/v1/containers", "{\"type\":\"generic\",\"name\":\"c\"}").json()
                .get("container_ref").asText().replaceAll(".*/", "");
    }

    @Test
    void everyMutatingRouteFamilyAnswers403BeforeLookingAtTheBody() throws Exception {
        String unknownKey = UUID.randomUUID().toString();
        Map<String, Api.Response> denied = new LinkedHashMap<>();
        denied.put("POST secrets", reader.send("POST", "/v1/secrets", "application/json", MALFORMED));
        denied.put("POST secrets, transport-wrapped", reader.postJson("/v1/secrets", "{\"payload\":\"AAEC\","
                + "\"payload_content_type\":\"application/octet-stream\",\"payload_content_encoding\":\"base64\","
                + "\"transport_key_id\":\"" + unknownKey + "\"}"));
        denied.put("PUT secret payload, bad base64", stranger.send("PUT", secret, "application/octet-stream",
                "!!not base64!!".getBytes(StandardCharsets.US_ASCII), "Content-Encoding", "base64"));
        denied.put("PUT secret payload, transport-wrapped", reader.send("PUT", secret + "?transport_key_id=" + unknownKey,
                "application/octet-stream", new byte[] {1, 2, 3}));
        denied.put("PUT secret payload, not UTF-8", reader.send("PUT", secret, "text/plain", new byte[] {(byte) 0xff}));
        denied.put("PUT secret payload, wrong type", stranger.send("PUT", secret, "application/json", MALFORMED));
        denied.put("PUT metadata", stranger.send("PUT", secret + "/metadata", "application/json", MALFORMED));
        denied.put("POST metadatum", reader.send("POST", secret + "/metadata", "application/json", MALFORMED));
        denied.put("PUT metadatum", stranger.send("PUT", secret + "/metadata/k", "application/json", MALFORMED));
        denied.put("POST secret consumer", stranger.send("POST", secret + "/consumers", "application/json", MALFORMED,
                "OpenStack-API-Version", V11));
        denied.put("DELETE secret consumer", stranger.send("DELETE", secret + "/consumers", "application/json",
                MALFORMED, "OpenStack-API-Version", V11));
        denied.put("PUT secret ACL", stranger.send("PUT", secret + "/acl", "application/json", MALFORMED));
        denied.put("PATCH secret ACL", reader.send("PATCH", secret + "/acl", "application/json", MALFORMED));
        denied.put("POST containers", reader.send("POST", "/v1/containers", "application/json", MALFORMED));
        denied.put("POST container secret", stranger.send("POST", container + "/secrets", "application/json", MALFORMED));
        denied.put("DELETE container secret", stranger.send("DELETE", container + "/secrets", "application/json",
                MALFORMED));
        denied.put("POST container consumer", stranger.send("POST", container + "/consumers", "application/json",
                MALFORMED));
        denied.put("DELETE container consumer", stranger.send("DELETE", container + "/consumers", "application/json",
                MALFORMED));
        denied.put("PUT container ACL", stranger.send("PUT", container + "/acl", "application/json", MALFORMED));
        denied.put("POST orders", reader.send("POST", "/v1/orders", "application/json", MALFORMED));
        denied.put("PUT project quotas", owner.send("PUT", "/v1/project-quotas/" + project, "application/json",
                MALFORMED));
        denied.put("POST preferred store", owner.send("POST", storeRef() + "/preferred", "application/json", MALFORMED));
        denied.put("POST transport keys", owner.send("POST", "/v1/transport_keys", "application/json", MALFORMED));

        Map<String, JsonNode> audited = auditEventsByRequest();
        denied.forEach((route, r) -> {
            assertThat(r.status()).as(route + ": " + r.body()).isEqualTo(403);
            assertThat(r.json().get("title").asText()).as(route).isEqualTo("Forbidden");
            JsonNode event = audited.get(r.header("x-openstack-request-id"));
            assertThat(event).as(route + ": audit event").isNotNull();
            assertThat(event.get("outcome").asText()).as(route).isEqualTo("failure");
            assertThat(event.get("reason").get("reasonCode").asText()).as(route).isEqualTo("403");
        });
        // nothing was written on their behalf
        assertThat(owner.get(secret).json().has("content_types")).isFalse();
        assertThat(owner.get(secret + "/metadata").json().get("metadata")).hasSize(1);
        assertThat(owner.get("/v1/secrets").json().get("total").asInt()).isEqualTo(1);
    }

    private String storeRef() {
        return owner.get("/v1/secret-stores").json().get("secret_stores").get(0).get("secret_store_ref").asText();
    }

    private Map<String, JsonNode> auditEventsByRequest() throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (String line : Files.readAllLines(server.dir().resolve("audit.log"), StandardCharsets.UTF_8)) {
            JsonNode e = Json.MAPPER.readTree(line);
            if (e.has("request_id")) {
                out.put(e.get("request_id").asText(), e);
            }
        }
        return out;
    }
}
