package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.RawHttp;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * A request answered before its body arrived (here a 415 on the content type) must leave the
 * connection usable: keep-alive clients (the Java client, python-requests) send the next request
 * on it.
 */
class KeepAliveAfterEarlyAnswerIT {
    @Test
    void theConnectionCarriesTheNextRequest() throws Exception {
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE);
                Socket socket = new Socket("127.0.0.1", Integer.parseInt(server.url().replaceAll(".*:", "")))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] body = "{\"payload\":\"x\"}".getBytes(StandardCharsets.US_ASCII);
            out.write(("POST /v1/secrets HTTP/1.1\r\nHost: t\r\nX-Project-Id: p\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300); // the handler answers before the body is sent
            out.write(body);
            out.flush();
            assertThat(RawHttp.response(in)).startsWith("HTTP/1.1 415 ");

            out.write("GET /v1/quotas HTTP/1.1\r\nHost: t\r\nX-Project-Id: p\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.response(in)).startsWith("HTTP/1.1 200 ").contains("\"quotas\"");
        }
    }
}
