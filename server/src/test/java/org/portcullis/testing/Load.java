package org.portcullis.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent writers and readers against one URL: each worker creates a secret, reads it back,
 * and goes on until stopped (or a bound). Every acknowledged secret is kept with its payload;
 * every request that did not get its 2xx is kept with what it got instead.
 */
public final class Load implements AutoCloseable {
    /** A request that failed: when (ms since the load began), what, and the status (-1: no answer). */
    public record Failure(long atMillis, String what, int status) {}

    private final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> workers = new ArrayList<>();
    private final long began = System.nanoTime();

    public Load(String url, String project, int workers, int maxRounds) {
        for (int w = 0; w < workers; w++) {
            int worker = w;
            this.workers.add(Thread.ofPlatform().name("load-" + w).start(() -> run(url, project, worker, maxRounds)));
        }
    }

    private void run(String url, String project, int worker, int maxRounds) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < maxRounds && !stop.get(); i++) {
            String payload = "w" + worker + "-" + i + "-" + java.util.UUID.randomUUID() + "-\u00fc";
            HttpRequest post = HttpRequest.newBuilder(URI.create(url + "/v1/secrets"))
                    .header("X-Project-Id", project).header("Content-Type", "application/json")
                    .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":" + Api.quote(payload)
                            + ",\"payload_content_type\":\"text/plain\"}"))
                    .timeout(Duration.ofSeconds(60)).build();
            String ref = send(client, post, "POST", 201);
            if (ref == null) {
                continue;
            }
            String id = ref.substring(ref.indexOf("/v1/secrets/") + 12, ref.indexOf('"', ref.indexOf("/v1/secrets/")));
            acknowledged.put(id, payload.getBytes(StandardCharsets.UTF_8));
            HttpRequest get = HttpRequest.newBuilder(URI.create(url + "/v1/secrets/" + id + "/payload"))
                    .header("X-Project-Id", project).header("Accept", "text/plain")
                    .timeout(Duration.ofSeconds(60)).build();
            send(client, get, "GET", 200);
        }
    }

    /**
     * Sends once more, as a careful client does, when a request got no answer at all: a proxy that
     * has no node to offer closes kept-alive connections, and one it closes just as a request goes
     * down it is answered by nothing. The POST's Idempotency-Key makes the second one safe (the
     * first answer, never a second secret). A request answered with any status is not retried.
     */
    private String send(HttpClient client, HttpRequest request, String what, int expected) {
        try {
            HttpResponse<String> r;
            try {
                r = client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException noAnswer) {
                r = client.send(request, HttpResponse.BodyHandlers.ofString());
            }
            if (r.statusCode() == expected) {
                answered.incrementAndGet();
                return r.body();
            }
            failures.add(new Failure(millis(), what + " " + r.body(), r.statusCode()));
        } catch (Exception e) {
            failures.add(new Failure(millis(), what + " " + e, -1));
        }
        return null;
    }

    private long millis() {
        return (System.nanoTime() - began) / 1_000_000;
    }

    /** Successful requests so far. */
    public int answered() {
        return answered.get();
    }

    /** Waits until {@code more} further requests have succeeded (generous deadline). */
    public void awaitMore(int more) throws InterruptedException {
        int target = answered() + more;
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (answered() < target) {
            if (System.nanoTime() > deadline || workers.stream().noneMatch(Thread::isAlive)) {
                throw new AssertionError("the load did not make " + more + " more successful requests; failures: "
                        + failures);
            }
            Thread.sleep(50);
        }
    }

    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    public Map<String, byte[]> acknowledged() {
        return acknowledged;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
    }
}
