package org.portcullis.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.portcullis.testing.Api;

/**
 * Reader threads that fetch every secret's payload over and over while an operator command runs,
 * and remember every read that failed or returned other bytes. Bounded: each thread stops after
 * {@code maxRounds} passes even if nobody stops it.
 */
final class ReadLoad implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong reads = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    ReadLoad(Api api, Map<String, String> payloads, int threadCount, int maxRounds) {
        for (int t = 0; t < threadCount; t++) {
            threads.add(Thread.ofPlatform().name("reader-" + t).start(() -> {
                for (int round = 0; round < maxRounds && !stop.get(); round++) {
                    for (Map.Entry<String, String> e : payloads.entrySet()) {
                        Api.Response r = api.get("/v1/secrets/" + e.getKey() + "/payload", "Accept", "text/plain");
                        reads.incrementAndGet();
                        if (r.status() != 200 || !r.body().equals(e.getValue())) {
                            failures.add(e.getKey() + ": " + r.status() + " " + r.body());
                        }
                    }
                }
            }));
        }
    }

    long reads() {
        return reads.get();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
    }
}
