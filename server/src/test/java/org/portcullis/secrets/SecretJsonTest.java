package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portcullis.http.Json;
import org.portcullis.http.Microversion;
import org.portcullis.stores.StoredRef;

/** A secret's JSON, byte for byte: Barbican's member order, nulls written, two members only when they apply. */
class SecretJsonTest {
    private static final Secret BARE = new Secret("id-1", "p1", null, null, SecretType.OPAQUE, null, null, null, null,
            "ACTIVE", "software", null, null, 0L, 1_500L);

    @Test
    void aSecretWithoutPayloadWritesEveryMemberAndNullsAsNull() {
        String json = new String(Json.write(SecretJson.of(BARE, "http://h", Microversion.MIN, null)), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"secret_ref\":\"http://h/v1/secrets/id-1\",\"name\":null,\"status\":\"ACTIVE\","
                + "\"secret_type\":\"opaque\",\"expiration\":null,\"algorithm\":null,\"bit_length\":null,\"mode\":null,"
                + "\"created\":\"1970-01-01T00:00:00\",\"updated\":\"1970-01-01T00:00:01.500000\",\"creator_id\":null}");
    }

    @Test
    void contentTypesAndConsumersAppearWhenTheyApply() {
        Secret s = new Secret("id-2", "p1", "u1", "n", SecretType.SYMMETRIC, "aes", 256, "cbc", 0L, "ACTIVE",
                "software", "application/octet-stream", new StoredRef(new byte[] {1}), 0L, 0L);
        List<SecretConsumer> none = List.of();
        String v10 = new String(Json.write(SecretJson.of(s, "http://h", Microversion.MIN, none)), StandardCharsets.UTF_8);
        String v11 = new String(Json.write(SecretJson.of(s, "http://h", Microversion.MAX, none)), StandardCharsets.UTF_8);
        assertThat(v10).contains("\"bit_length\":256,").contains("\"expiration\":\"1970-01-01T00:00:00\"")
                .endsWith("\"creator_id\":\"u1\",\"content_types\":{\"default\":\"application/octet-stream\"}}");
        assertThat(v11).endsWith("\"content_types\":{\"default\":\"application/octet-stream\"},\"consumers\":[]}");
    }

    @Test
    void aListPageWritesItsSecretsTheTotalThenTheLinksThatApply() {
        Secret other = new Secret("id-3", "p1", null, null, SecretType.OPAQUE, null, null, null, null, "ACTIVE",
                "software", null, null, 0L, 0L);
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("previous", "http://h/v1/secrets?limit=2&offset=0");
        links.put("next", "http://h/v1/secrets?limit=2&offset=4");
        String v10 = new String(Json.write(new SecretJson.Page(List.of(BARE, other), 7, "http://h", null, links)),
                StandardCharsets.UTF_8);
        String one = new String(Json.write(SecretJson.of(BARE, "http://h", Microversion.MIN, null)), StandardCharsets.UTF_8);
        String two = new String(Json.write(SecretJson.of(other, "http://h", Microversion.MIN, null)), StandardCharsets.UTF_8);
        assertThat(v10).isEqualTo("{\"secrets\":[" + one + "," + two + "],\"total\":7,"
                + "\"previous\":\"http://h/v1/secrets?limit=2&offset=0\",\"next\":\"http://h/v1/secrets?limit=2&offset=4\"}");

        // 1.1: each secret with its own consumers, [] for one without
        Map<String, List<SecretConsumer>> consumers = Map.of("id-3", List.of(new SecretConsumer("nova", "server", "vm1")));
        String v11 = new String(Json.write(new SecretJson.Page(List.of(BARE, other), 2, "http://h", consumers, Map.of())),
                StandardCharsets.UTF_8);
        assertThat(v11).startsWith("{\"secrets\":[{\"secret_ref\":\"http://h/v1/secrets/id-1\"")
                .contains("\"creator_id\":null,\"consumers\":[]}")
                .endsWith("\"consumers\":[{\"service\":\"nova\",\"resource_type\":\"server\",\"resource_id\":\"vm1\"}]}],"
                        + "\"total\":2}");
    }
}
