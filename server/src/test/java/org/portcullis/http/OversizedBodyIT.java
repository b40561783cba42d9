package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.NodePerClass;
import org.portcullis.testing.RawHttp;
import org.portcullis.testing.TestDatabases;

/**
 * A body over {@code max_allowed_request_size_in_bytes} (25,000 by default) is answered 413, and
 * the client must see that answer: the server reads and drops the rest of the body before it
 * answers, instead of closing on a client that is still sending (which resets the connection and
 * loses the 413). A body read whole keeps the connection for the next request.
 */
class OversizedBodyIT extends NodePerClass {
    private static final String PROJECT = "proj-" + UUID.randomUUID();

    @Override
    protected TestDatabases.Kind database() {
        return TestDatabases.Kind.SQLITE;
    }

    @Test
    void anOversizedPostIsAnswered413FiftyTimesInARow() {
        Api api = new Api(server.url(), PROJECT);
        String huge = "{\"payload\":\"" + "y".repeat(200_000) + "\"}";
        for (int i = 0; i < 50; i++) {
            Api.Response r = api.postJson("/v1/secrets", huge);
            assertThat(r.status()).as("attempt %d", i + 1).isEqualTo(413);
            assertThat(r.json().get("title").asText()).isEqualTo("Request Entity Too Large");
        }
        assertThat(api.get("/v1/secrets").json().get("total").asInt()).isZero();
    }

    @Test
    void theConnectionCarriesTheNextRequestAfterAnOversizedBody() throws Exception {
        try (Socket socket = socket()) {
            byte[] body = ("{\"payload\":\"" + "z".repeat(200_000) + "\"}").getBytes(StandardCharsets.US_ASCII);
            send(socket, "POST /v1/secrets HTTP/1.1\r\nHost: t\r\nX-Project-Id: " + PROJECT
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n", body);
            assertThat(RawHttp.response(socket.getInputStream())).startsWith("HTTP/1.1 413 ")
                    .contains("\"title\":\"Request Entity Too Large\"").doesNotContainIgnoringCase("connection: close");
            assertNextRequestServed(socket);
        }
    }

    @Test
    void anOversizedChunkedBodyIsDrainedToo() throws Exception {
        try (Socket socket = socket()) {
            send(socket, "POST /v1/secrets HTTP/1.1\r\nHost: t\r\nX-Project-Id: " + PROJECT
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", new byte[0]);
            String chunk = "a".repeat(4096);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 50; i++) {
                out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.response(socket.getInputStream())).startsWith("HTTP/1.1 413 ");
            assertNextRequestServed(socket);
        }
    }

    /** The other 413: a secret over max_allowed_secret_in_bytes in a body within the request limit. */
    @Test
    void aSecretOverItsLimitIs413AndKeepsTheConnection() throws Exception {
        try (Socket socket = socket()) {
            byte[] body = ("{\"payload\":\"" + "s".repeat(20_001) + "\",\"payload_content_type\":\"text/plain\"}")
                    .getBytes(StandardCharsets.US_ASCII);
            send(socket, "POST /v1/secrets HTTP/1.1\r\nHost: t\r\nX-Project-Id: " + PROJECT
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n", body);
            assertThat(RawHttp.response(socket.getInputStream())).startsWith("HTTP/1.1 413 ")
                    .contains("secrets are limited to");
            assertNextRequestServed(socket);
        }
    }

    /** A client waiting for 100 Continue has sent nothing: it gets the 413 at once and the body is never asked for. */
    @Test
    void aClientExpecting100ContinueGetsThe413WithoutSendingTheBody() throws Exception {
        try (Socket socket = socket()) {
            send(socket, "POST /v1/secrets HTTP/1.1\r\nHost: t\r\nX-Project-Id: " + PROJECT
                    + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 200000\r\n\r\n",
                    new byte[0]);
            String answer = RawHttp.response(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413 ").containsIgnoringCase("connection: close");
            assertThat(socket.getInputStream().read()).as("connection closed after the 413").isEqualTo(-1);
        }
    }

    private Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.app().port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static void send(Socket socket, String head, byte[] body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static void assertNextRequestServed(Socket socket) throws Exception {
        send(socket, "GET /v1/quotas HTTP/1.1\r\nHost: t\r\nX-Project-Id: " + PROJECT + "\r\n\r\n", new byte[0]);
        assertThat(RawHttp.response(socket.getInputStream())).startsWith("HTTP/1.1 200 ").contains("\"quotas\"");
    }
}
