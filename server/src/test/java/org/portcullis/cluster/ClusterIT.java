package org.portcullis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.portcullis.testing.Api;
import org.portcullis.testing.Cluster;
import org.portcullis.testing.Load;
import org.portcullis.testing.NodeProcess;

/**
 * The {@code cluster} lane: three nodes behind HAProxy on Patroni-managed PostgreSQL (primary +
 * synchronous replica), started by {@code scripts/cluster.sh}, under 16 concurrent writers and
 * readers while parts are killed. Every acknowledged secret is read back byte for byte at the end.
 * Nothing here waits a fixed time: each step polls for the condition it needs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final int WORKERS = 16;
    private static final int MAX_ROUNDS = 100_000;
    private static final String PROJECT = "p-cluster";
    private static Cluster cluster;
    private static final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();

    @BeforeAll
    static void up() throws Exception {
        cluster = Cluster.up();
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void killingOneNodeFailsOnlyItsInFlightRequests() throws Exception {
        List<Load.Failure> failures;
        try (Load load = new Load(cluster.url(), PROJECT, WORKERS, MAX_ROUNDS)) {
            load.awaitMore(100);
            cluster.node("kill", 2);
            waitFor(() -> status(2).startsWith("DOWN"), "HAProxy marks node 2 down");
            load.awaitMore(100);
            failures = load.failures();
            acknowledged.putAll(load.acknowledged());
        }
        report("kill -9 node 2", failures);
        // At most one request per worker can have been in flight on the killed node.
        assertThat(failures.size()).as(failures.toString()).isLessThanOrEqualTo(WORKERS);
        assertThat(failures).noneMatch(f -> f.status() == 500);
        cluster.node("start", 2);
        waitFor(() -> status(2).equals("UP"), "node 2 back in HAProxy");
    }

    @Test
    @Order(2)
    void aRollingSigtermRestartFailsNoRequest() throws Exception {
        List<Load.Failure> failures;
        try (Load load = new Load(cluster.url(), PROJECT, WORKERS, MAX_ROUNDS)) {
            load.awaitMore(50);
            for (int n = 1; n <= 3; n++) {
                cluster.node("term", n);
                load.awaitMore(20);
                cluster.node("start", n);
                int node = n;
                waitFor(() -> status(node).equals("UP"), "node " + n + " back in HAProxy");
                load.awaitMore(20);
            }
            failures = load.failures();
            acknowledged.putAll(load.acknowledged());
        }
        report("rolling SIGTERM restart", failures);
        assertThat(failures).as("failed requests").isEmpty();
        for (int n = 1; n <= 3; n++) {
            List<String> audit = Files.readAllLines(cluster.dir().resolve("node" + n + "/audit.log"));
            assertThat(audit).as("node " + n + " wrote its stop event").anyMatch(l -> l.contains("\"action\":\"stop\""));
        }
    }

    @Test
    @Order(3)
    void killingThePostgresqlPrimaryGives503sThenRecoversByItself() throws Exception {
        List<Load.Failure> failures;
        String killed;
        try (Load load = new Load(cluster.url(), PROJECT, WORKERS, MAX_ROUNDS)) {
            load.awaitMore(100);
            killed = cluster.killPrimary();
            waitFor(() -> !load.failures().isEmpty(), "clients see the outage");
            load.awaitMore(100); // by itself: no node restarted
            failures = load.failures();
            acknowledged.putAll(load.acknowledged());
        }
        report("kill -9 PostgreSQL primary", failures);
        assertThat(failures).as("never 500: 503 while no primary answers").allMatch(f -> f.status() == 503);
        cluster.startMember(killed);
    }

    @Test
    @Order(4)
    void aNodeWithAnotherMasterKekIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-cluster-intruder");
        try (NodeProcess intruder = NodeProcess.start(dir, cluster.jdbc(), List.of())) {
            assertThat(intruder.awaitExit()).isNotZero();
            assertThat(Files.readString(intruder.log())).contains("unreadable");
        }
    }

    @Test
    @Order(5)
    void aQuotaHoldsAcrossNodes() throws Exception {
        int n = 12;
        String project = "p-cluster-quota";
        Api admin = new Api(cluster.url(), project);
        assertThat(admin.putJson("/v1/project-quotas/" + project, "{\"project_quotas\":{\"secrets\":" + (n - 1) + "}}")
                .status()).isEqualTo(204);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new java.util.ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                Api api = new Api(cluster.nodeUrl(1 + i % 3), project);
                String body = "{\"payload\":\"q" + i + "\",\"payload_content_type\":\"text/plain\"}";
                answers.add(pool.submit(() -> {
                    go.await();
                    return api.postJson("/v1/secrets", body).status();
                }));
            }
            go.countDown();
            int created = 0;
            for (Future<Integer> f : answers) {
                created += f.get() == 201 ? 1 : 0;
            }
            assertThat(created).isEqualTo(n - 1);
        }
        assertThat(admin.get("/v1/secrets").json().get("total").asInt()).isEqualTo(n - 1);
    }

    @Test
    @Order(6)
    void everyAcknowledgedSecretReadsBackByteForByte() throws Exception {
        assertThat(acknowledged).isNotEmpty();
        Api api = new Api(cluster.url(), PROJECT);
        try (ExecutorService pool = Executors.newFixedThreadPool(WORKERS)) {
            List<Future<?>> reads = new java.util.ArrayList<>();
            for (Map.Entry<String, byte[]> e : acknowledged.entrySet()) {
                reads.add(pool.submit(() -> {
                    Api.Response r = api.get("/v1/secrets/" + e.getKey() + "/payload", "Accept", "text/plain");
                    assertThat(r.status()).as(e.getKey()).isEqualTo(200);
                    assertThat(r.bytes()).as(e.getKey()).isEqualTo(e.getValue());
                }));
            }
            for (Future<?> f : reads) {
                f.get();
            }
        }
        System.out.printf("cluster: %d acknowledged secrets read back%n", acknowledged.size());
    }

    private static String status(int node) {
        try {
            return cluster.balancerStatus(node);
        } catch (Exception e) {
            return "UNKNOWN " + e;
        }
    }

    /** The outage clients saw: first to last failed request (printed for bench/, never asserted). */
    private static void report(String what, List<Load.Failure> failures) {
        long window = failures.isEmpty() ? 0
                : failures.get(failures.size() - 1).atMillis() - failures.get(0).atMillis();
        System.out.printf("cluster: %s: %d failed request(s) over %.1f s%n", what, failures.size(), window / 1000.0);
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within 300 s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
