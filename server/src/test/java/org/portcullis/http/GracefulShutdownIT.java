package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.NodeProcess;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * SIGTERM to a node in its own process, under 8 clients in a loop: it reports unhealthy, keeps
 * answering what reaches it, stops accepting, finishes what is in flight, writes its audit stop
 * event and exits. The clients act as a balancer does: once they have seen two unhealthy checks
 * they start no new request. Every request got its full answer, or was refused, or (a connection
 * caught in the listener's close) had no effect; every acknowledged secret reads back from the
 * next node. Zero failed requests behind HAProxy is ClusterIT's rolling restart.
 */
class GracefulShutdownIT {
    private static final int WORKERS = 8;
    private static final int MAX_ROUNDS = 2_000;

    @Test
    void sigtermDrainsWithoutFailingARequest() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-drain");
        String sql = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Set<String> unanswered = ConcurrentHashMap.newKeySet();
        CountDownLatch warm = new CountDownLatch(WORKERS * 5);
        AtomicBoolean balancerLeft = new AtomicBoolean();
        try (NodeProcess node = NodeProcess.start(dir, sql, List.of())) {
            node.awaitHealthy();
            List<Thread> workers = new java.util.ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                workers.add(Thread.ofPlatform().start(() -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    for (int i = 0; i < MAX_ROUNDS && !balancerLeft.get(); i++) {
                        String name = "drain-" + worker + "-" + i;
                        String payload = name + "-\u00e9";
                        HttpRequest post = HttpRequest.newBuilder(URI.create(node.url() + "/v1/secrets"))
                                .header("X-Project-Id", "p-drain").header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":" + Api.quote(name)
                                        + ",\"payload\":" + Api.quote(payload)
                                        + ",\"payload_content_type\":\"text/plain\"}"))
                                .timeout(Duration.ofSeconds(60)).build();
                        try {
                            HttpResponse<String> r = client.send(post, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 201) {
                                failures.add("POST " + r.statusCode() + " " + r.body());
                                return;
                            }
                            String ref = ref(r.body());
                            acknowledged.put(ref, payload);
                            warm.countDown();
                        } catch (ConnectException e) {
                            // never reached the node: it stopped accepting
                            return;
                        } catch (java.io.IOException e) {
                            unanswered.add(name); // closed without an answer: checked below
                            return;
                        } catch (Exception e) {
                            failures.add("POST " + e);
                            return;
                        }
                    }
                }));
            }
            warm.await();
            node.terminate();
            // What a balancer does: it sees /healthcheck turn 503 (and checks once more after acting).
            int unhealthy = 0;
            while (unhealthy < 3) {
                int status = node.health();
                if (status == 503) {
                    unhealthy++;
                    balancerLeft.set(unhealthy >= 2);
                } else if (status == -1) {
                    break;
                }
                Thread.sleep(50);
            }
            for (Thread t : workers) {
                t.join();
            }
            assertThat(node.awaitExit()).as("exit status after SIGTERM").isEqualTo(143);
            assertThat(failures).as("requests that reached the node and failed").isEmpty();
            String log = Files.readString(node.log());
            assertThat(log).contains("draining: /healthcheck answers 503").contains("Portcullis stopped");
            List<String> audit = Files.readAllLines(dir.resolve("audit.log"));
            assertThat(audit.get(audit.size() - 1)).contains("\"action\":\"stop\"").contains("node stopped");
        }
        try (TestServer next = TestServer.startWith(dir, sql, List.of())) {
            Api api = new Api(next.url(), "p-drain");
            for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                Api.Response r = api.get("/v1/secrets/" + e.getKey() + "/payload", "Accept", "text/plain");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bytes()).isEqualTo(e.getValue().getBytes(StandardCharsets.UTF_8));
            }
            for (String name : unanswered) {
                assertThat(api.get("/v1/secrets?name=" + name).json().get("total").asInt())
                        .as("a request closed without an answer changed nothing").isZero();
            }
        }
    }

    private static String ref(String body) {
        int i = body.indexOf("/v1/secrets/");
        return body.substring(i + "/v1/secrets/".length(), body.indexOf('"', i));
    }
}
