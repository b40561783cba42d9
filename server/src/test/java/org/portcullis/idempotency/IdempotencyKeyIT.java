package org.portcullis.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.NodeProcess;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * {@code Idempotency-Key} across two nodes on one PostgreSQL, under concurrency, and across a
 * SIGKILL of the node a request was sent to.
 */
class IdempotencyKeyIT {
    private static Path dirA;
    private static String sql;
    private static TestServer a;
    private static TestServer b;

    @BeforeAll
    static void start() throws Exception {
        dirA = Files.createTempDirectory("portcullis-idem-a");
        Path dirB = Files.createTempDirectory("portcullis-idem-b");
        sql = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dirA);
        a = TestServer.startWith(dirA, sql, List.of());
        sameKeks(dirA, dirB);
        b = TestServer.startWith(dirB, sql, List.of());
    }

    @AfterAll
    static void stop() throws Exception {
        b.close();
        a.close();
    }

    static void sameKeks(Path from, Path to) throws Exception {
        for (String kek : List.of("kek-1", "kek-2")) {
            Files.copy(from.resolve(kek), to.resolve(kek));
        }
    }

    private static String secret(String name) {
        return "{\"name\":" + Api.quote(name) + ",\"payload\":\"p-" + name + "\",\"payload_content_type\":\"text/plain\"}";
    }

    private static int count(Api api, String name) {
        return api.get("/v1/secrets?name=" + name).json().get("total").asInt();
    }

    @Test
    void aRetryOnAnotherNodeGetsTheSameRefAndCreatesNothing() {
        Api onA = new Api(a.url(), "p-idem");
        Api onB = new Api(b.url(), "p-idem");
        Api.Response first = onA.postJson("/v1/secrets", secret("one"), "Idempotency-Key", "key-one");
        Api.Response retry = onB.postJson("/v1/secrets", secret("one"), "Idempotency-Key", "key-one");
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json().get("secret_ref").asText()).isEqualTo(first.json().get("secret_ref").asText()
                .replace(a.url(), b.url()));
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(count(onA, "one")).isEqualTo(1);

        Api.Response other = onB.postJson("/v1/secrets", secret("other"), "Idempotency-Key", "key-one");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("code").asInt()).isEqualTo(422);
        assertThat(other.json().get("description").asText()).contains("Idempotency-Key");
        assertThat(count(onA, "other")).isZero();

        Api elsewhere = new Api(b.url(), "p-idem-2");
        assertThat(elsewhere.postJson("/v1/secrets", secret("one"), "Idempotency-Key", "key-one").status())
                .as("another project's key is its own").isEqualTo(201);
        assertThat(onA.postJson("/v1/secrets", secret("bad"), "Idempotency-Key", "").status()).isEqualTo(400);
    }

    @Test
    void containersAndOrdersAreReplayedToo() {
        Api onA = new Api(a.url(), "p-idem-co");
        Api onB = new Api(b.url(), "p-idem-co");
        String container = "{\"name\":\"c\",\"type\":\"generic\",\"secret_refs\":[]}";
        Api.Response c1 = onA.postJson("/v1/containers", container, "Idempotency-Key", "c-key");
        Api.Response c2 = onB.postJson("/v1/containers", container, "Idempotency-Key", "c-key");
        assertThat(c1.status()).isEqualTo(201);
        assertThat(c2.status()).isEqualTo(201);
        assertThat(tail(c2.json().get("container_ref").asText())).isEqualTo(tail(c1.json().get("container_ref").asText()));
        assertThat(onA.get("/v1/containers").json().get("total").asInt()).isEqualTo(1);

        String order = "{\"type\":\"key\",\"meta\":{\"name\":\"k\",\"algorithm\":\"aes\",\"bit_length\":256,"
                + "\"mode\":\"cbc\",\"payload_content_type\":\"application/octet-stream\"}}";
        Api.Response o1 = onA.postJson("/v1/orders", order, "Idempotency-Key", "o-key");
        Api.Response o2 = onB.postJson("/v1/orders", order, "Idempotency-Key", "o-key");
        assertThat(o1.status()).isEqualTo(202);
        assertThat(o2.status()).isEqualTo(202);
        assertThat(tail(o2.json().get("order_ref").asText())).isEqualTo(tail(o1.json().get("order_ref").asText()));
        assertThat(onA.get("/v1/orders").json().get("total").asInt()).isEqualTo(1);
    }

    @Test
    void concurrentRequestsWithOneKeyOnTwoNodesCreateOneSecret() throws Exception {
        int n = 12;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Response>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                Api api = new Api((i % 2 == 0 ? a : b).url(), "p-idem-race");
                answers.add(pool.submit(() -> {
                    go.await();
                    return api.postJson("/v1/secrets", secret("race"), "Idempotency-Key", "race-key");
                }));
            }
            go.countDown();
            Set<String> refs = ConcurrentHashMap.newKeySet();
            for (Future<Api.Response> f : answers) {
                Api.Response r = f.get();
                assertThat(r.status()).as(r.body()).isEqualTo(201);
                refs.add(tail(r.json().get("secret_ref").asText()));
            }
            assertThat(refs).hasSize(1);
        }
        assertThat(count(new Api(a.url(), "p-idem-race"), "race")).isEqualTo(1);
    }

    /**
     * Clients post with keys to a node in its own process that is SIGKILLed under them; every
     * request left without an answer is retried with its key on another node. Each key ends with
     * exactly one secret: none lost, none doubled.
     */
    @Test
    void retriesAfterASigkillNeitherLoseNorDuplicate() throws Exception {
        Path dirK = Files.createTempDirectory("portcullis-idem-k");
        sameKeks(dirA, dirK);
        Set<String> keys = ConcurrentHashMap.newKeySet();
        Set<String> unanswered = ConcurrentHashMap.newKeySet();
        CountDownLatch warm = new CountDownLatch(20);
        try (NodeProcess victim = NodeProcess.start(dirK, sql, List.of())) {
            victim.awaitHealthy();
            List<Thread> clients = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                int worker = w;
                clients.add(Thread.ofPlatform().start(() -> {
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                    for (int i = 0; i < 2_000; i++) {
                        String key = "kill-" + worker + "-" + i;
                        keys.add(key);
                        HttpRequest post = HttpRequest.newBuilder(URI.create(victim.url() + "/v1/secrets"))
                                .header("X-Project-Id", "p-idem-kill").header("Content-Type", "application/json")
                                .header("Idempotency-Key", key)
                                .POST(HttpRequest.BodyPublishers.ofString(secret(key))).build();
                        try {
                            int status = http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
                            if (status != 201) {
                                unanswered.add(key);
                            }
                            warm.countDown();
                        } catch (Exception e) {
                            unanswered.add(key); // killed in flight, or never sent: this client is done
                            return;
                        }
                    }
                }));
            }
            warm.await();
            victim.kill();
            for (Thread t : clients) {
                t.join();
            }
        }
        assertThat(unanswered).as("requests the kill left without an answer").isNotEmpty();
        Api onB = new Api(b.url(), "p-idem-kill");
        for (String key : unanswered) {
            assertThat(onB.postJson("/v1/secrets", secret(key), "Idempotency-Key", key).status()).isEqualTo(201);
        }
        java.util.Map<String, Integer> byName = new java.util.HashMap<>();
        for (int offset = 0; ; offset += 100) {
            var page = onB.get("/v1/secrets?limit=100&offset=" + offset).json().get("secrets");
            if (page.isEmpty()) {
                break;
            }
            page.forEach(s -> byName.merge(s.get("name").asText(), 1, Integer::sum));
        }
        assertThat(byName.keySet()).isEqualTo(keys);
        assertThat(byName.values()).as("one secret per key").containsOnly(1);
    }

    private static String tail(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }
}
