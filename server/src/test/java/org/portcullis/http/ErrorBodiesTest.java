package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorBodiesTest {

    @Test
    void bodyHasCodeTitleDescriptionInThatOrder() {
        assertThat(ErrorBodies.of(404, "Not Found. Sorry but your secret is in another castle."))
                .containsExactly(
                        java.util.Map.entry("code", 404),
                        java.util.Map.entry("title", "Not Found"),
                        java.util.Map.entry("description", "Not Found. Sorry but your secret is in another castle."));
    }

    @Test
    void bodySerialisesAsBarbicanDoes() {
        assertThat(new String(Json.write(ErrorBodies.of(400, "Bad thing")), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"code\":400,\"title\":\"Bad Request\",\"description\":\"Bad thing\"}");
    }

    @Test
    void titlesAreReasonPhrases() {
        assertThat(ErrorBodies.title(400)).isEqualTo("Bad Request");
        assertThat(ErrorBodies.title(401)).isEqualTo("Unauthorized");
        assertThat(ErrorBodies.title(403)).isEqualTo("Forbidden");
        assertThat(ErrorBodies.title(405)).isEqualTo("Method Not Allowed");
        assertThat(ErrorBodies.title(406)).isEqualTo("Not Acceptable");
        assertThat(ErrorBodies.title(409)).isEqualTo("Conflict");
        assertThat(ErrorBodies.title(411)).isEqualTo("Length Required");
        assertThat(ErrorBodies.title(413)).isEqualTo("Request Entity Too Large");
        assertThat(ErrorBodies.title(414)).as("webob's title, which Barbican shows").isEqualTo("Request-URI Too Long");
        assertThat(ErrorBodies.title(408)).isEqualTo("Request Timeout");
        assertThat(ErrorBodies.title(505)).isEqualTo("HTTP Version Not Supported");
        assertThat(ErrorBodies.title(415)).isEqualTo("Unsupported Media Type");
        assertThat(ErrorBodies.title(429)).isEqualTo("Too Many Requests");
        assertThat(ErrorBodies.title(503)).isEqualTo("Service Unavailable");
    }

    @Test
    void unlistedStatusesFallBack() {
        assertThat(ErrorBodies.title(500)).isEqualTo("Internal Server Error");
        assertThat(ErrorBodies.title(502)).isEqualTo("Internal Server Error");
        assertThat(ErrorBodies.title(418)).isEqualTo("Error");
    }

    @Test
    void apiExceptionFactoriesCarryTheirStatus() {
        assertThat(ApiException.badRequest("x").status()).isEqualTo(400);
        assertThat(ApiException.forbidden("x").status()).isEqualTo(403);
        assertThat(ApiException.notFound("x").status()).isEqualTo(404);
        assertThat(ApiException.conflict("x").status()).isEqualTo(409);
        assertThat(ApiException.conflict("why").description()).isEqualTo("why");
    }
}
