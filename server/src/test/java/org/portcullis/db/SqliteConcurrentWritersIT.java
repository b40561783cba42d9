package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * 64 clients creating secrets at once on SQLite: Barbican answers most of them with 500
 * "database is locked"; the single-writer design must answer every one with 201.
 */
class SqliteConcurrentWritersIT {
    private static final int WRITERS = 64;
    private static final int SECRETS_EACH = 10;

    @Test
    void sixtyFourConcurrentWritersSeeNoErrors() throws Exception {
        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE)) {
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                // Half the writers share one project (contending for its KEK), half have their own.
                Api api = new Api(server.url(), w % 2 == 0 ? "shared-project" : "project-" + w);
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < SECRETS_EACH; i++) {
                        int status = api.postJson("/v1/secrets",
                                "{\"payload\":\"c\",\"payload_content_type\":\"text/plain\"}").status();
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(statuses.keySet()).containsExactly(201);
            assertThat(statuses.get(201).get()).isEqualTo(WRITERS * SECRETS_EACH);
            int rows = server.app().database().read(h -> h.createQuery("SELECT count(*) FROM secrets").mapTo(Integer.class).one());
            assertThat(rows).isEqualTo(WRITERS * SECRETS_EACH);
            int keks = server.app().database().read(h -> h.createQuery(
                    "SELECT count(*) FROM project_keks WHERE project_id = 'shared-project'").mapTo(Integer.class).one());
            assertThat(keks).as("one KEK per project, however many requests raced to create it").isEqualTo(1);
        }
    }
}
