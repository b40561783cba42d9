package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.portcullis.Application;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;
import org.slf4j.LoggerFactory;

/** Header size, slow clients, the connection cap and the per-project rate limit, over real sockets. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestLimitsIT {
    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(TestDatabases.Kind.SQLITE, List.of("[portcullis]", "max_header_bytes = 4096",
                "request_timeout_seconds = 2", "idle_timeout_seconds = 30", "rate_limit_per_project = 1/s",
                "rate_limit_burst = 3"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private Socket socket() throws IOException {
        Socket s = new Socket("127.0.0.1", server.app().port());
        s.setSoTimeout(15_000);
        return s;
    }

    @Test
    void headersOverTheLimitGet431InBarbicanShape() throws Exception {
        try (Socket s = socket()) {
            String big = "x".repeat(5000);
            s.getOutputStream().write(("GET /v1/secrets HTTP/1.1\r\nHost: t\r\nX-Project-Id: p-hdr\r\nX-Big: " + big
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = readAll(s.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 431 ");
            assertThat(response).contains("\"code\":431").contains("\"title\":\"Request Header Fields Too Large\"");
        }
        // just under the limit is served
        Api.Response ok = new Api(server.url(), "p-hdr").get("/v1/secrets", "X-Pad", "y".repeat(3000));
        assertThat(ok.status()).isEqualTo(200);
    }

    @Test
    void slowHeadersAreCutOffAtTheRequestTimeout() throws Exception {
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            out.write("GET /v1/secrets HTTP/1.1\r\nHost: t\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            boolean closed = false;
            // slowloris: a header byte every 300 ms keeps the 30 s idle timeout from ever firing
            for (int i = 0; i < 60 && !closed; i++) {
                try {
                    out.write('X');
                    out.flush();
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                closed = closedWithin(s, 300);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(closed).as("connection closed by the server").isTrue();
            // not before the deadline; that it was the deadline at all is shown by the 30 s idle
            // timeout, which a byte every 300 ms never lets fire (no upper bound: a busy machine
            // may run the watchdog late)
            assertThat(seconds).as("seconds until closed").isGreaterThanOrEqualTo(1.5);
        }
    }

    @Test
    void aSilentNewConnectionIsClosedAtTheRequestTimeout() throws Exception {
        try (Socket s = socket()) {
            long start = System.nanoTime();
            // closed long before the 30 s idle timeout, and not before the 2 s deadline
            assertThat(closedWithin(s, 8_000)).isTrue();
            assertThat((System.nanoTime() - start) / 1e9).isGreaterThanOrEqualTo(1.5);
        }
    }

    @Test
    void anIdleKeepAliveConnectionBetweenRequestsIsNotCutOff() throws Exception {
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            byte[] get = "GET /v1/quotas HTTP/1.1\r\nHost: t\r\nX-Project-Id: p-idle\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            out.write(get);
            assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200 ");
            Thread.sleep(3_500); // longer than the request timeout, shorter than the idle timeout
            out.write(get);
            assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void aProjectOverItsRateGets429WithRetryAfter() throws Exception {
        Api limited = new Api(server.url(), "p-rate");
        int ok = 0;
        Api.Response refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            Api.Response r = limited.get("/v1/secrets");
            if (r.status() == 429) {
                refused = r;
            } else {
                assertThat(r.status()).isEqualTo(200);
                ok++;
            }
        }
        assertThat(ok).as("requests admitted by the burst (plus refill while they ran)").isBetween(3, 5);
        assertThat(refused).isNotNull();
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().get("code").asInt()).isEqualTo(429);
        assertThat(refused.json().get("title").asText()).isEqualTo("Too Many Requests");
        // other projects have their own allowance, and unauthenticated routes are not limited
        assertThat(new Api(server.url(), "p-other").get("/v1/secrets").status()).isEqualTo(200);
        assertThat(limited.get("/").status()).isIn(200, 300);
        Thread.sleep(1_100);
        assertThat(limited.get("/v1/secrets").status()).isEqualTo(200);
    }

    @Test
    void insecureHttpOnANonLoopbackAddressStartsOnlyWhenAllowedAndWarns() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(HttpServer.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        Path dir = Files.createTempDirectory("portcullis-insecure");
        Path conf = TestServer.writeConfig(dir, TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir), List.of());
        Files.writeString(conf, Files.readString(conf).replace("bind_host = 127.0.0.1", "bind_host = 0.0.0.0"));
        assertThatThrownBy(() -> ConfigLoader.load(conf)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("[portcullis] bind_host").hasMessageContaining("allow_insecure_http = true");
        Files.writeString(conf, Files.readString(conf) + "[portcullis]\nallow_insecure_http = true\n");
        try (Application open = Application.start(ConfigLoader.load(conf))) {
            assertThat(new Api("http://127.0.0.1:" + open.port(), "p1").get("/v1/secrets").status()).isEqualTo(200);
        } finally {
            logger.detachAppender(events);
        }
        assertThat(events.list).anySatisfy(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("WARN");
            assertThat(e.getFormattedMessage()).contains("plain HTTP on 0.0.0.0").contains("allow_insecure_http");
        });
    }

    @Test
    void connectionsBeyondTheCapWaitUntilOneCloses() throws Exception {
        try (TestServer capped = TestServer.start(TestDatabases.Kind.SQLITE,
                List.of("[portcullis]", "max_connections = 2", "request_timeout_seconds = 30"))) {
            int port = capped.app().port();
            Socket a = new Socket("127.0.0.1", port);
            Socket b = new Socket("127.0.0.1", port);
            try (Socket c = new Socket("127.0.0.1", port)) {
                Thread.sleep(300); // let the server accept a and b; c then waits in the backlog
                c.setSoTimeout(1_000);
                c.getOutputStream().write("GET /v1/quotas HTTP/1.1\r\nHost: t\r\nX-Project-Id: p\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                boolean answered;
                try {
                    answered = c.getInputStream().read() >= 0;
                } catch (SocketTimeoutException e) {
                    answered = false;
                }
                assertThat(answered).as("third connection served while two are open").isFalse();
                a.close();
                c.setSoTimeout(10_000);
                assertThat(readResponse(c.getInputStream())).startsWith("HTTP/1.1 200 ");
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /** True when the server closes (EOF or reset) within {@code millis}. */
    private static boolean closedWithin(Socket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            in.transferTo(buf);
        } catch (IOException e) {
            // reset after the response: what was read is the answer
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }

    /** Reads one response with a Content-Length body. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return h + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }
}
