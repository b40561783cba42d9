package org.portcullis.stores.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake against Vault's documented requests and answers (the examples of api-docs/secret/kv,
 * auth/approle, system/health), spoken with a plain HTTP client — not through the store — so
 * the fake is held to the documentation rather than to the code it stands in for.
 */
class FakeVaultServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FakeVaultServer vault;
    private String token;

    record Reply(int status, JsonNode body) {}

    @BeforeEach
    void start() throws Exception {
        vault = FakeVaultServer.start();
        token = vault.createToken("");
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private Reply call(String method, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(vault.url() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    }

    private Reply authed(String method, String path, String json) throws Exception {
        return call(method, path, json, "X-Vault-Token", token);
    }

    @Test
    void kv2WriteReadVersionsAndCheckAndSet() throws Exception {
        // api-docs/secret/kv/kv-v2 "Create/Update secret": sample payload with options.cas and data.
        Reply first = authed("POST", "/v1/secret/data/my-secret", "{\"options\":{\"cas\":0},\"data\":{\"foo\":\"bar\"}}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().at("/data/version").asInt()).isEqualTo(1);
        assertThat(first.body().at("/data/destroyed").asBoolean()).isFalse();
        assertThat(first.body().at("/data/created_time").asText()).isNotEmpty();

        // cas = 0 on an existing key: refused with the documented message, nothing written.
        Reply again = authed("POST", "/v1/secret/data/my-secret", "{\"options\":{\"cas\":0},\"data\":{\"foo\":\"other\"}}");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body().get("errors").get(0).asText())
                .isEqualTo("check-and-set parameter did not match the current version");

        // cas = current version: accepted; without options: accepted (cas_required is false by default).
        assertThat(authed("PUT", "/v1/secret/data/my-secret", "{\"options\":{\"cas\":1},\"data\":{\"foo\":\"two\"}}")
                .body().at("/data/version").asInt()).isEqualTo(2);
        assertThat(authed("POST", "/v1/secret/data/my-secret", "{\"data\":{\"foo\":\"three\"}}")
                .body().at("/data/version").asInt()).isEqualTo(3);

        // "Read secret version": latest by default, ?version=N for one version; data.data + data.metadata.
        Reply latest = authed("GET", "/v1/secret/data/my-secret", null);
        assertThat(latest.body().at("/data/data/foo").asText()).isEqualTo("three");
        assertThat(latest.body().at("/data/metadata/version").asInt()).isEqualTo(3);
        Reply v1 = authed("GET", "/v1/secret/data/my-secret?version=1", null);
        assertThat(v1.body().at("/data/data/foo").asText()).isEqualTo("bar");
        assertThat(v1.body().at("/data/metadata/version").asInt()).isEqualTo(1);
        assertThat(authed("GET", "/v1/secret/data/my-secret?version=4", null).status()).isEqualTo(404);

        // "Delete metadata and all versions": 204, then every version is gone (404, errors []).
        assertThat(authed("DELETE", "/v1/secret/metadata/my-secret", null).status()).isEqualTo(204);
        Reply gone = authed("GET", "/v1/secret/data/my-secret?version=1", null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body().get("errors")).isEmpty();
        // and a new write starts again at version 1, as for a key that never existed.
        assertThat(authed("POST", "/v1/secret/data/my-secret", "{\"options\":{\"cas\":0},\"data\":{\"a\":\"b\"}}")
                .body().at("/data/version").asInt()).isEqualTo(1);
    }

    @Test
    void kv2WriteWithoutDataIsABadRequest() throws Exception {
        assertThat(authed("POST", "/v1/secret/data/x", "{\"options\":{\"cas\":0}}").status()).isEqualTo(400);
    }

    @Test
    void kv1IsUnversioned() throws Exception {
        // api-docs/secret/kv/kv-v1: POST/PUT body = data, 204; GET data + lease_duration; DELETE 204.
        assertThat(authed("POST", "/v1/kv1/my-secret", "{\"foo\":\"bar\",\"zip\":\"zap\"}").status()).isEqualTo(204);
        Reply read = authed("GET", "/v1/kv1/my-secret", null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().at("/data/foo").asText()).isEqualTo("bar");
        assertThat(read.body().get("lease_duration").asLong()).isEqualTo(2764800);
        assertThat(authed("PUT", "/v1/kv1/my-secret", "{\"foo\":\"new\"}").status()).isEqualTo(204);
        assertThat(authed("GET", "/v1/kv1/my-secret", null).body().at("/data/foo").asText()).isEqualTo("new");
        assertThat(authed("DELETE", "/v1/kv1/my-secret", null).status()).isEqualTo(204);
        assertThat(authed("GET", "/v1/kv1/my-secret", null).status()).isEqualTo(404);
    }

    @Test
    void tokensAreCheckedAndBoundToTheirNamespace() throws Exception {
        Reply none = call("GET", "/v1/secret/data/x", null);
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.body().get("errors").get(0).asText()).isEqualTo("permission denied");
        assertThat(call("GET", "/v1/secret/data/x", null, "X-Vault-Token", "hvs.wrong").status()).isEqualTo(403);

        String nsToken = vault.createToken("team/prod");
        assertThat(call("POST", "/v1/secret/data/x", "{\"data\":{\"k\":\"v\"}}", "X-Vault-Token", nsToken).status())
                .as("a namespace token without its X-Vault-Namespace").isEqualTo(403);
        assertThat(call("POST", "/v1/secret/data/x", "{\"data\":{\"k\":\"v\"}}", "X-Vault-Token", nsToken,
                "X-Vault-Namespace", "team/prod").status()).isEqualTo(200);
        // Namespaces keep separate data: the root namespace does not see it.
        assertThat(authed("GET", "/v1/secret/data/x", null).status()).isEqualTo(404);

        vault.revokeToken(token);
        assertThat(authed("GET", "/v1/secret/data/x", null).status()).isEqualTo(403);
    }

    @Test
    void appRoleLoginIssuesExpiringTokens() throws Exception {
        String[] role = vault.createAppRole("");
        vault.appRoleTokenTtlSeconds(60);
        // api-docs/auth/approle "Login with AppRole": role_id + secret_id -> auth.client_token.
        Reply login = call("POST", "/v1/auth/approle/login",
                "{\"role_id\":\"" + role[0] + "\",\"secret_id\":\"" + role[1] + "\"}");
        assertThat(login.status()).isEqualTo(200);
        JsonNode auth = login.body().get("auth");
        assertThat(auth.get("lease_duration").asLong()).isEqualTo(60);
        assertThat(auth.get("renewable").asBoolean()).isTrue();
        String issued = auth.get("client_token").asText();
        assertThat(call("GET", "/v1/secret/data/none", null, "X-Vault-Token", issued).status()).isEqualTo(404);

        vault.advanceClock(61);
        assertThat(call("GET", "/v1/secret/data/none", null, "X-Vault-Token", issued).status()).isEqualTo(403);

        Reply wrong = call("POST", "/v1/auth/approle/login", "{\"role_id\":\"" + role[0] + "\",\"secret_id\":\"nope\"}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body().get("errors").get(0).asText()).isEqualTo("invalid role or secret ID");
    }

    @Test
    void sealedVaultAnswers503ExceptHealth() throws Exception {
        assertThat(call("GET", "/v1/sys/health", null).status()).isEqualTo(200);
        vault.seal(true);
        Reply kv = authed("GET", "/v1/secret/data/x", null);
        assertThat(kv.status()).isEqualTo(503);
        assertThat(kv.body().get("errors").get(0).asText()).isEqualTo("Vault is sealed");
        Reply health = call("GET", "/v1/sys/health", null);
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.body().get("sealed").asBoolean()).isTrue();
        vault.seal(false);
        assertThat(authed("GET", "/v1/secret/data/x", null).status()).isEqualTo(404);
    }

    @Test
    void unknownRoutesAre404() throws Exception {
        assertThat(authed("GET", "/v1/nomount/data/x", null).status()).isEqualTo(404);
        assertThat(authed("GET", "/v1/secret/config", null).status()).isEqualTo(404);
    }
}
