package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.NodePerClass;
import org.portcullis.testing.TestDatabases;

/** Input that used to change data, or came back in no JSON shape, over HTTP on a real node. */
class BadInputIT extends NodePerClass {
    private Api api;

    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }

    /** A small header limit, so a URI over it is short enough to arrive whole before the answer. */
    @Override
    protected List<String> config() {
        return List.of("[portcullis]", "max_header_bytes = 4096");
    }

    @BeforeAll
    void client() {
        api = new Api(server.url(), "proj-" + UUID.randomUUID());
    }

    private static void assertBarbicanError(Api.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode error = r.json();
        assertThat(error.get("code").asInt()).isEqualTo(status);
        assertThat(error.get("title").asText()).isEqualTo(ErrorBodies.title(status));
        assertThat(error.get("description").asText()).isNotBlank();
    }

    @Test
    void aLoneSurrogateIsRefusedNotStoredAsAQuestionMark() {
        // the JSON escape is sent as is: six ASCII characters, not a Java char
        Api.Response r = api.postJson("/v1/secrets", "{\"name\":\"a\\ud800z\",\"payload\":\"x\","
                + "\"payload_content_type\":\"text/plain\"}");
        assertBarbicanError(r, 400);
        assertThat(r.json().get("description").asText()).contains("surrogate");
        assertThat(api.get("/v1/secrets").json().get("total").asInt()).isZero();

        String id = api.createText("x");
        assertBarbicanError(api.putJson("/v1/secrets/" + id + "/metadata", "{\"metadata\":{\"k\":\"v\\udc00\"}}"), 400);
        assertThat(api.get("/v1/secrets/" + id + "/metadata").json().get("metadata")).isEmpty();
        Api.Response pair = api.postJson("/v1/secrets", "{\"name\":\"smile \\ud83d\\ude00\"}");
        assertThat(pair.status()).isEqualTo(201);
        assertThat(api.get(pair.json().get("secret_ref").asText()).json().get("name").asText())
                .isEqualTo("smile \uD83D\uDE00");
    }

    @Test
    void aTextPayloadThatIsNotUtf8IsRefusedAtPut() {
        String ref = api.postJson("/v1/secrets", "{\"name\":\"later\"}").json().get("secret_ref").asText();
        assertBarbicanError(api.put(ref, "text/plain", new byte[] {'a', (byte) 0xff, (byte) 0xfe}), 400);
        assertThat(api.get(ref).json().has("content_types")).as("no payload stored").isFalse();
        assertThat(api.put(ref, "text/plain; charset=utf-8", "h\u00e9".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(204);
        assertThat(api.get(ref + "/payload", "Accept", "text/plain").body()).isEqualTo("h\u00e9");
    }

    @Test
    void projectQuotasBelowMinusOneAreRefused() {
        Api admin = api.as("ops", "admin", null);
        String path = "/v1/project-quotas/p-" + UUID.randomUUID();
        assertBarbicanError(admin.putJson(path, "{\"project_quotas\":{\"secrets\":-5}}"), 400);
        assertThat(admin.get(path).status()).isEqualTo(404);
        assertThat(admin.putJson(path, "{\"project_quotas\":{\"secrets\":-1,\"orders\":0}}").status()).isEqualTo(204);
    }

    @Test
    void tooDeeplyNestedJsonSaysSoWithoutTheParsersWords() {
        Api.Response r = api.postJson("/v1/secrets", "{\"name\":" + "[".repeat(50) + "]".repeat(50) + "}");
        assertBarbicanError(r, 400);
        assertThat(r.json().get("description").asText()).isEqualTo("Malformed JSON: it is nested deeper than 32 levels.");
    }

    @Test
    void ambiguousPathsGetBarbicansErrorShape() throws Exception {
        String[] requests = {"GET /v1//secrets", "PUT /v1/secrets%2Fx", "DELETE //v1/secrets", "DELETE /v1/secrets/%2F",
            "OPTIONS /v1/%2e%2e/secrets"};
        for (String request : requests) {
            String response = raw(request + " HTTP/1.1\r\nHost: t\r\nX-Project-Id: p\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(response).as(request).startsWith("HTTP/1.1 400 ")
                    .containsIgnoringCase("content-type: application/json").contains("\"code\":400")
                    .contains("\"title\":\"Bad Request\"").contains("The request path is ambiguous");
        }
    }

    @Test
    void aUriTooLongIsTitledAsBarbicanTitlesIt() throws Exception {
        String response = raw("GET /v1/secrets?name=" + "x".repeat(6_000) + " HTTP/1.1\r\nHost: t\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 414 ").contains("\"code\":414")
                .contains("\"title\":\"Request-URI Too Long\"");
    }

    /** DELETE .../{store}/preferred clears the project's preference whichever existing store it names, as Barbican does. */
    @Test
    void removingThePreferredStoreThroughAnotherStoresPathClearsIt() {
        Api admin = api.as("proj-" + UUID.randomUUID(), "admin", null);
        JsonNode stores = admin.get("/v1/secret-stores").json().get("secret_stores");
        String preferred = stores.get(0).get("secret_store_ref").asText();
        String other = stores.get(1).get("secret_store_ref").asText();
        assertThat(admin.postJson(preferred + "/preferred", "").status()).isEqualTo(204);
        assertThat(admin.delete(other + "/preferred").status()).isEqualTo(204);
        Api.Response none = admin.get("/v1/secret-stores/preferred");
        assertBarbicanError(none, 404);
        assertThat(none.json().get("description").asText()).contains("No preferred secret store defined");
        assertThat(admin.delete(other + "/preferred").status()).as("nothing left to remove").isEqualTo(404);
        assertBarbicanError(admin.delete("/v1/secret-stores/" + UUID.randomUUID() + "/preferred"), 404);
    }

    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.app().port())) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0;) {
                out.write(buf, 0, n);
                String text = out.toString(StandardCharsets.UTF_8);
                int head = text.indexOf("\r\n\r\n");
                int length = text.toLowerCase(java.util.Locale.ROOT).indexOf("content-length: ");
                if (head > 0 && length > 0 && length < head) {
                    int len = Integer.parseInt(text.substring(length + 16, text.indexOf("\r\n", length)).strip());
                    if (out.size() >= head + 4 + len) {
                        break;
                    }
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
