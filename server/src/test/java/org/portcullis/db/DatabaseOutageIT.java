package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.TcpProxy;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL taken away from a node and given back through a TCP proxy on a fixed port:
 * the node waits for it at start (one log line per attempt), answers 503 saying the database is
 * unreachable while it is gone (never 500, and {@code /healthcheck} turns 503), and recovers by
 * itself.
 */
class DatabaseOutageIT {
    private static final List<String> FAST = List.of("[portcullis]", "db_wait_seconds = 1");

    private TcpProxy proxy;
    private TestServer node;

    @AfterEach
    void tearDown() throws Exception {
        if (node != null) {
            node.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aNodeStartedBeforeItsDatabaseWaitsWithOneLinePerAttemptAndThenServes() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-outage");
        String real = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
        int pgPort = TestDatabases.port(real);
        int port = freePort();
        ListAppender<ILoggingEvent> log = capture();
        CompletableFuture<TestServer> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return TestServer.startWith(dir, TestDatabases.viaPort(real, port), FAST);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        waitFor(() -> attempts(log).size() >= 2, "two logged attempts while the database is away");
        assertThat(starting).isNotDone();
        proxy = new TcpProxy(port, "127.0.0.1", pgPort);
        node = starting.get();

        assertThat(attempts(log)).allSatisfy(e -> {
            assertThat(e.getThrowableProxy()).as("no stack trace").isNull();
            assertThat(e.getFormattedMessage()).doesNotContain("\n").doesNotContain("password=portcullis");
        });
        Api api = new Api(node.url(), "p-outage");
        String id = api.createText("after the wait");
        assertThat(api.get("/v1/secrets/" + id + "/payload").body()).isEqualTo("after the wait");
    }

    @Test
    void whileTheDatabaseIsGoneRequestsFailFastWith503AndTheNodeRecoversByItself() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-outage");
        String real = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
        int pgPort = TestDatabases.port(real);
        int port = freePort();
        proxy = new TcpProxy(port, "127.0.0.1", pgPort);
        node = TestServer.startWith(dir, TestDatabases.viaPort(real, port), FAST);
        Api api = new Api(node.url(), "p-outage");
        String before = api.createText("before the outage");
        assertThat(api.get("/healthcheck").status()).isEqualTo(200);

        proxy.close();
        for (int i = 0; i < 5; i++) {
            Api.Response create = api.postJson("/v1/secrets",
                    "{\"payload\":\"during\",\"payload_content_type\":\"text/plain\"}");
            assertThat(create.status()).as(create.body()).isEqualTo(503);
            assertThat(create.json().get("description").asText()).contains("database is unreachable");
            Api.Response read = api.get("/v1/secrets/" + before + "/payload");
            assertThat(read.status()).as(read.body()).isEqualTo(503);
        }
        Api.Response health = api.get("/healthcheck");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.body()).contains("database is unreachable");

        proxy = new TcpProxy(port, "127.0.0.1", pgPort);
        waitFor(() -> api.get("/healthcheck").status() == 200, "/healthcheck back to 200 by itself");
        waitFor(() -> api.get("/v1/secrets/" + before + "/payload").status() == 200, "reads back");
        assertThat(api.get("/v1/secrets/" + before + "/payload").body()).isEqualTo("before the outage");
        String after = api.createText("after the outage");
        assertThat(api.get("/v1/secrets/" + after + "/payload").body()).isEqualTo("after the outage");
    }

    private static List<ILoggingEvent> attempts(ListAppender<ILoggingEvent> log) {
        synchronized (log.list) {
            return log.list.stream().filter(e -> e.getFormattedMessage().contains("is unreachable (attempt")).toList();
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        ((Logger) LoggerFactory.getLogger(Database.class)).addAppender(events);
        return events;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Polls a condition under a generous deadline: what matters is that it happens, not when. */
    static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within 120 s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
