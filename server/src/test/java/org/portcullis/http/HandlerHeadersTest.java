package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.portcullis.auth.RequestContext;

/**
 * A handler's headers go out only with its own answer: one that throws, or whose request then
 * fails around it (its audit event or commit, here the scope), answers with the error's headers
 * alone, never with a Location for something that was rolled back. One server for the class: its
 * routes keep no state, and each stop waits out the idle connections' close.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandlerHeadersTest {
    private HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        Router router = new Router()
                .post("/v1/made", ex -> {
                    ex.responseHeader("Location", "http://x/v1/made/1");
                    ex.json(201, Map.of("ref", "http://x/v1/made/1"));
                })
                .post("/v1/refused", ex -> {
                    ex.responseHeader("Location", "http://x/v1/refused/1");
                    throw ApiException.conflict("refused after setting its Location");
                })
                .post("/v1/rolled-back", ex -> {
                    ex.responseHeader("Location", "http://x/v1/rolled-back/1");
                    ex.json(201, Map.of("ref", "http://x/v1/rolled-back/1"));
                })
                .open("GET", "/open", ex -> {
                    ex.responseHeader("X-Open", "yes");
                    throw new IllegalStateException("a bug");
                });
        server = new HttpServer("127.0.0.1", 0, router,
                ex -> RequestContext.project("p", "u", Set.of("admin"), ex.requestId()), null, 1 << 20);
        // Like a commit that fails after the handler answered.
        server.scope((ex, body) -> {
            body.run();
            if (ex.path().equals("/v1/rolled-back")) {
                throw new ApiException(503, "the commit failed");
            }
        });
        server.start();
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSucceedingHandlersHeadersGoOut() throws Exception {
        HttpResponse<String> r = send("POST", "/v1/made");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).hasValue("http://x/v1/made/1");
    }

    @Test
    void aHandlerThatThrowsAnswersWithoutItsHeaders() throws Exception {
        HttpResponse<String> r = send("POST", "/v1/refused");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).contains("refused after setting its Location");

        HttpResponse<String> open = send("GET", "/open");
        assertThat(open.statusCode()).isEqualTo(500);
        assertThat(open.headers().firstValue("X-Open")).isEmpty();
    }

    @Test
    void aRequestThatFailsAfterItsHandlerAnsweredCarriesOnlyTheErrorsHeaders() throws Exception {
        HttpResponse<String> r = send("POST", "/v1/rolled-back");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.headers().firstValue("x-openstack-request-id")).isPresent();
    }

    @Test
    void anErrorsOwnHeadersGoOut() throws Exception {
        HttpResponse<String> r = send("DELETE", "/v1/made");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }
}
