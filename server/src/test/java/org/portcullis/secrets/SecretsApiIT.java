package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.portcullis.testing.Api;
import org.portcullis.testing.Api.Response;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.NodePerClass;
import org.portcullis.testing.TestServer;

/** The secrets API over HTTP against a real node; subclasses pick the database. */
abstract class SecretsApiIT extends NodePerClass {
    private Api api;

    @BeforeAll
    void start() throws Exception {
        api = new Api(server.url(), "proj-" + UUID.randomUUID());
    }

    private int secretRows() {
        return server.app().database().read(h -> h.createQuery("SELECT count(*) FROM secrets").mapTo(Integer.class).one());
    }

    @Test
    void textSecretRoundTripsWithItsMetadata() {
        Response created = api.postJson("/v1/secrets", """
                {"name":"db-password","payload":"s3cr3t","payload_content_type":"text/plain","secret_type":"passphrase"}""");
        assertThat(created.status()).isEqualTo(201);
        String ref = created.json().get("secret_ref").asText();
        assertThat(created.header("Location")).isEqualTo(ref);
        assertThat(ref).startsWith(server.url() + "/v1/secrets/");

        JsonNode meta = api.get(ref).json();
        assertThat(meta.get("name").asText()).isEqualTo("db-password");
        assertThat(meta.get("secret_type").asText()).isEqualTo("passphrase");
        assertThat(meta.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(meta.get("content_types").get("default").asText()).isEqualTo("text/plain");
        assertThat(meta.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?");
        assertThat(meta.has("consumers")).isFalse();

        Response payload = api.get(ref + "/payload", "Accept", "text/plain");
        assertThat(payload.status()).isEqualTo(200);
        assertThat(payload.body()).isEqualTo("s3cr3t");
        Response legacy = api.get(ref, "Accept", "text/plain");
        assertThat(legacy.body()).isEqualTo("s3cr3t");
    }

    @Test
    void binaryPayloadKeepsEveryByte() {
        byte[] key = new byte[256];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        String b64 = Base64.getEncoder().encodeToString(key);
        Response created = api.postJson("/v1/secrets", "{\"payload\":\"" + b64 + "\",\"payload_content_type\":"
                + "\"application/octet-stream\",\"payload_content_encoding\":\"base64\",\"secret_type\":\"symmetric\","
                + "\"algorithm\":\"aes\",\"bit_length\":256,\"mode\":\"gcm\"}");
        String ref = created.json().get("secret_ref").asText();
        Response payload = api.get(ref + "/payload", "Accept", "application/octet-stream");
        assertThat(payload.bytes()).isEqualTo(key);
        assertThat(payload.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(api.get(ref + "/payload", "Accept", "text/plain").status()).isEqualTo(406);
    }

    @Test
    void twoStepCreateTakesOnePayloadOnly() {
        String ref = api.postJson("/v1/secrets", "{\"name\":\"later\"}").json().get("secret_ref").asText();
        assertThat(api.get(ref).json().has("content_types")).isFalse();
        assertThat(api.get(ref + "/payload").status()).isEqualTo(404);
        assertThat(api.put(ref, "text/plain", "first".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(204);
        assertThat(api.put(ref, "text/plain", "second".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(409);
        assertThat(api.get(ref + "/payload", "Accept", "text/plain").body()).isEqualTo("first");

        String ref2 = api.postJson("/v1/secrets", "{}").json().get("secret_ref").asText();
        assertThat(api.put(ref2, "application/json", "{}".getBytes()).status()).isEqualTo(415);
        assertThat(api.send("PUT", ref2, "application/octet-stream", "AAEC".getBytes(), "Content-Encoding", "base64")
                .status()).isEqualTo(204);
        assertThat(api.get(ref2 + "/payload", "Accept", "application/octet-stream").bytes()).containsExactly(0, 1, 2);
    }

    @Test
    void badInputIsABarbicanShaped400AndWritesNothing() {
        int before = secretRows();
        String[] bodies = {
            "{bad json",
            "[1,2]",
            "{\"payload\":\"x\"}",
            "{\"payload\":\"x\",\"payload_content_type\":\"text/foo\"}",
            "{\"payload\":\"x\",\"payload_content_type\":\"application/octet-stream\"}",
            "{\"payload\":\"!!not base64!!\",\"payload_content_type\":\"application/octet-stream\",\"payload_content_encoding\":\"base64\"}",
            "{\"payload\":\"   \",\"payload_content_type\":\"text/plain\"}",
            "{\"payload\":\"x\",\"payload_content_type\":\"text/plain\",\"expiration\":\"2001-01-01T00:00:00Z\"}",
            "{\"payload\":\"x\",\"payload_content_type\":\"text/plain\",\"expiration\":\"yesterday\"}",
            "{\"payload\":\"x\",\"payload_content_type\":\"text/plain\",\"secret_type\":\"weird\"}",
            "{\"payload\":\"x\",\"payload_content_type\":\"text/plain\",\"bit_length\":\"256\"}",
            "{\"payload\":\"x\",\"payload_content_type\":\"text/plain\",\"bit_length\":-1}",
            "{\"payload_content_type\":\"text/plain\"}",
            "{\"payload\":12,\"payload_content_type\":\"text/plain\"}",
        };
        for (String body : bodies) {
            Response r = api.postJson("/v1/secrets", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            JsonNode error = r.json();
            assertThat(error.get("code").asInt()).isEqualTo(400);
            assertThat(error.get("title").asText()).isEqualTo("Bad Request");
            assertThat(error.get("description").asText()).isNotBlank();
        }
        assertThat(api.send("POST", "/v1/secrets", "text/plain", "{}".getBytes()).status()).isEqualTo(415);
        assertThat(secretRows()).isEqualTo(before);
    }

    @Test
    void oversizedPayloadsAre413() {
        int before = secretRows();
        String big = "x".repeat(20_001);
        Response r = api.postJson("/v1/secrets", "{\"payload\":\"" + big + "\",\"payload_content_type\":\"text/plain\"}");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("title").asText()).isEqualTo("Request Entity Too Large");
        Response huge = api.postJson("/v1/secrets", "{\"payload\":\"" + "y".repeat(200_000) + "\"}");
        assertThat(huge.status()).isEqualTo(413);
        assertThat(secretRows()).isEqualTo(before);
    }

    @Test
    void idsThatAreNotUuidsAndUnknownIdsAre404() {
        Response malformed = api.get("/v1/secrets/not-a-uuid");
        assertThat(malformed.status()).isEqualTo(404);
        assertThat(malformed.json().get("description").asText()).contains("invalid");
        assertThat(api.get("/v1/secrets/" + UUID.randomUUID()).json().get("description").asText())
                .isEqualTo("Secret not found.");
        assertThat(api.get("/v1/nothing-here").status()).isEqualTo(404);
        assertThat(api.send("PATCH", "/v1/secrets", "application/json", "{}".getBytes()).status()).isEqualTo(405);
    }

    @Test
    void missingProjectIsRejected() {
        Api anonymous = new Api(server.url(), null);
        assertThat(anonymous.get("/v1/secrets").status()).isEqualTo(400);
        assertThat(anonymous.get("/").status()).isEqualTo(300);
    }

    @Test
    void anotherProjectGets403() {
        String id = api.createText("mine");
        Api other = api.as("other-" + UUID.randomUUID(), "member", null);
        assertThat(other.get("/v1/secrets/" + id).status()).isEqualTo(403);
        assertThat(other.get("/v1/secrets/" + id + "/payload").status()).isEqualTo(403);
        assertThat(other.delete("/v1/secrets/" + id).status()).isEqualTo(403);
        // Upstream's secure RBAC (18.0.0+) lets any admin read a secret's metadata, never its payload.
        Api otherAdmin = api.as("other-" + UUID.randomUUID(), "admin", null);
        assertThat(otherAdmin.get("/v1/secrets/" + id).status()).isEqualTo(200);
        assertThat(otherAdmin.get("/v1/secrets/" + id + "/payload").status()).isEqualTo(403);
        assertThat(api.get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body()).isEqualTo("mine");
    }

    @Test
    void deleteRemovesTheSecretAndItsCiphertext() {
        String id = api.createText("to delete");
        assertThat(api.delete("/v1/secrets/" + id).status()).isEqualTo(204);
        assertThat(api.get("/v1/secrets/" + id).status()).isEqualTo(404);
        assertThat(api.delete("/v1/secrets/" + id).status()).isEqualTo(404);
        byte[] left = server.app().database().read(h -> h.createQuery("SELECT payload FROM secrets WHERE id = :id")
                .bind("id", id).mapTo(byte[].class).one());
        assertThat(left).isNull();
    }

    @Test
    void expiredSecretsVanish() throws Exception {
        String exp = Instant.now().plusSeconds(2).toString();
        String ref = api.postJson("/v1/secrets", "{\"payload\":\"brief\",\"payload_content_type\":\"text/plain\","
                + "\"name\":\"brief\",\"expiration\":\"" + exp + "\"}").json().get("secret_ref").asText();
        assertThat(api.get(ref + "/payload", "Accept", "text/plain").body()).isEqualTo("brief");
        Thread.sleep(2_500);
        assertThat(api.get(ref).status()).isEqualTo(404);
        assertThat(api.get(ref + "/payload").status()).isEqualTo(404);
        assertThat(api.get("/v1/secrets?name=brief").json().get("total").asInt()).isZero();
    }

    @Test
    void listPagesFiltersAndSorts() {
        Api project = api.as("list-" + UUID.randomUUID(), null, null);
        for (int i = 0; i < 5; i++) {
            project.postJson("/v1/secrets", "{\"name\":\"n" + i + "\",\"algorithm\":\"" + (i % 2 == 0 ? "aes" : "rsa")
                    + "\",\"payload\":\"p" + i + "\",\"payload_content_type\":\"text/plain\"}");
        }
        JsonNode page = project.get("/v1/secrets?limit=2&offset=2").json();
        assertThat(page.get("total").asInt()).isEqualTo(5);
        assertThat(page.get("secrets")).hasSize(2);
        assertThat(page.get("next").asText()).contains("limit=2").contains("offset=4");
        assertThat(page.get("previous").asText()).contains("offset=0");
        assertThat(project.get("/v1/secrets?alg=aes").json().get("total").asInt()).isEqualTo(3);
        JsonNode sorted = project.get("/v1/secrets?sort=name:desc").json().get("secrets");
        assertThat(sorted.get(0).get("name").asText()).isEqualTo("n4");
        assertThat(project.get("/v1/secrets?sort=bogus").status()).isEqualTo(400);
        assertThat(project.get("/v1/secrets?limit=1000").json().get("secrets")).hasSize(5);
    }

    @Test
    void metadataLifecycle() {
        String id = api.createText("with metadata");
        String base = "/v1/secrets/" + id + "/metadata";
        Response put = api.putJson(base, "{\"metadata\":{\"Env\":\"prod\",\"owner\":\"ops\"}}");
        assertThat(put.status()).isEqualTo(201);
        assertThat(put.json().get("metadata_ref").asText()).endsWith(base);
        assertThat(api.get(base).json().get("metadata").get("env").asText()).isEqualTo("prod");
        assertThat(api.postJson(base, "{\"key\":\"tier\",\"value\":\"1\"}").status()).isEqualTo(201);
        assertThat(api.postJson(base, "{\"key\":\"tier\",\"value\":\"1\"}").status()).isEqualTo(409);
        assertThat(api.putJson(base + "/tier", "{\"key\":\"tier\",\"value\":\"2\"}").json().get("value").asText())
                .isEqualTo("2");
        assertThat(api.putJson(base + "/tier", "{\"key\":\"other\",\"value\":\"2\"}").status()).isEqualTo(409);
        assertThat(api.delete(base + "/tier").status()).isEqualTo(204);
        assertThat(api.get(base + "/tier").status()).isEqualTo(404);
        assertThat(api.putJson(base, "{\"metadata\":{\"a\":1}}").status()).isEqualTo(400);
    }

    @Test
    void preferredStoreSteersNewSecretsOnly() {
        Api project = api.as("pref-" + UUID.randomUUID(), null, null);
        JsonNode stores = project.get("/v1/secret-stores").json().get("secret_stores");
        assertThat(stores).hasSize(2);
        String alt = null;
        for (JsonNode s : stores) {
            if (!s.get("global_default").asBoolean()) {
                alt = s.get("secret_store_ref").asText();
            }
        }
        String before = project.createText("in default store");
        assertThat(project.postJson(alt + "/preferred", "").status()).isEqualTo(204);
        String after = project.createText("in preferred store");
        assertThat(project.get("/v1/secret-stores/preferred").json().get("secret_store_ref").asText()).isEqualTo(alt);
        assertThat(project.delete(alt + "/preferred").status()).isEqualTo(204);
        assertThat(project.get("/v1/secret-stores/preferred").status()).isEqualTo(404);

        String storeBefore = storeOf(before);
        String storeAfter = storeOf(after);
        assertThat(storeAfter).isNotEqualTo(storeBefore);
        assertThat(alt).endsWith(storeAfter);
        assertThat(project.get("/v1/secrets/" + before + "/payload", "Accept", "text/plain").body()).isEqualTo("in default store");
        assertThat(project.get("/v1/secrets/" + after + "/payload", "Accept", "text/plain").body()).isEqualTo("in preferred store");
    }

    private String storeOf(String secretId) {
        return server.app().database().read(h -> h.createQuery("SELECT store_id FROM secrets WHERE id = :id")
                .bind("id", secretId).mapTo(String.class).one());
    }

    @Test
    void microversionsAreNegotiated() {
        String id = api.createText("versioned");
        Response v11 = api.get("/v1/secrets/" + id, "OpenStack-API-Version", "key-manager 1.1");
        assertThat(v11.header("OpenStack-API-Version")).isEqualTo("key-manager 1.1");
        assertThat(v11.header("Vary")).isEqualTo("OpenStack-API-Version");
        Response unversioned = api.get("/v1/secrets/" + id);
        assertThat(unversioned.header("OpenStack-API-Version")).isEqualTo("key-manager 1.0");
        assertThat(unversioned.header("Vary")).isEqualTo("OpenStack-API-Version");
        assertThat(v11.json().get("consumers").isArray()).isTrue();
        assertThat(api.get("/v1/secrets/" + id, "OpenStack-API-Version", "key-manager 9.9").status()).isEqualTo(406);
        JsonNode root = api.get("/", "OpenStack-API-Version", "key-manager latest").json();
        assertThat(root.get("versions").get(0).get("max_version").asText()).isEqualTo("1.2");
    }
}

class SecretsApiSqliteIT extends SecretsApiIT {
    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }
}

class SecretsApiPostgresIT extends SecretsApiIT {
    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
