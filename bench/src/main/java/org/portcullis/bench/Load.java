package org.portcullis.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code load URL PROJECT N CONCURRENCY}: create N secrets over loopback with at most
 * CONCURRENCY requests in flight (one virtual thread per in-flight slot, each pulling
 * the next index from a shared counter).
 */
final class Load {

    /** Exactly the body of ../shared/reference/wrk/post_secret.lua. */
    static final String BODY = "{\"name\":\"wrk-bench\",\"secret_type\":\"symmetric\",\"algorithm\":\"aes\","
            + "\"bit_length\":256,\"mode\":\"cbc\","
            + "\"payload\":\"SUm8dXs2Q2vJq1mEw1Yb0VZr3kXh7o9pW3Tq4s6uY8A=\","
            + "\"payload_content_type\":\"application/octet-stream\","
            + "\"payload_content_encoding\":\"base64\"}";

    private Load() {
    }

    static int run(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: load URL PROJECT N CONCURRENCY");
            return 2;
        }
        String base = args[0].replaceAll("/+$", "");
        String project = args[1];
        int n = Integer.parseInt(args[2]);
        int conc = Integer.parseInt(args[3]);
        if (n < 0 || conc < 1) {
            System.err.println("load: N must be >= 0 and CONCURRENCY >= 1");
            return 2;
        }
        URI uri = URI.create(base + "/v1/secrets");
        if (!isLoopback(uri)) {
            System.err.println("load: refusing non-loopback target " + uri);
            return 2;
        }

        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("X-Project-Id", project)
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();

        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean aborted = new java.util.concurrent.atomic.AtomicBoolean();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();
        AtomicLong lastError = new AtomicLong();
        List<Bench.LongBuf> lat = new ArrayList<>();
        int step = Math.max(1, n / 10);

        long t0 = System.nanoTime();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < conc; w++) {
                Bench.LongBuf buf = new Bench.LongBuf();
                lat.add(buf);
                ex.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        long f = failed.sum();
                        if (f > 1000 && f > ok.sum()) {
                            aborted.set(true); // the server is failing: do not hammer it for N requests
                            break;
                        }
                        long s = System.nanoTime();
                        String key;
                        try {
                            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                            key = Integer.toString(r.statusCode());
                            if (r.statusCode() / 100 == 2) {
                                ok.increment();
                            } else {
                                failed.increment();
                                if (lastError.getAndIncrement() < 3) {
                                    System.err.println("load: HTTP " + r.statusCode() + ": " + abbreviate(r.body()));
                                }
                            }
                        } catch (Exception e) {
                            key = e.getClass().getSimpleName();
                            failed.increment();
                            if (lastError.getAndIncrement() < 3) {
                                System.err.println("load: " + e);
                            }
                        }
                        buf.add(System.nanoTime() - s);
                        byStatus.computeIfAbsent(key, k -> new LongAdder()).increment();
                        int d = done.incrementAndGet();
                        if (d % step == 0) {
                            double el = (System.nanoTime() - t0) / 1e9;
                            System.err.printf("load: %d/%d done, %.0f/s, %d errors%n", d, n, d / el, failed.sum());
                        }
                    }
                    return null;
                });
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long[] sorted = Bench.LongBuf.merge(lat);
        Map<String, Long> statuses = new TreeMap<>();
        byStatus.forEach((k, v) -> statuses.put(k, v.sum()));
        StringBuilder st = new StringBuilder();
        statuses.forEach((k, v) -> st.append(st.isEmpty() ? "" : ",").append(k).append(':').append(v));
        if (aborted.get()) {
            System.err.println("load: aborted after " + failed.sum() + " errors");
        }
        System.out.printf("LOAD url=%s project=%s n=%d concurrency=%d ok=%d errors=%d secs=%.2f rate=%.1f p50_ms=%.2f p99_ms=%.2f statuses=%s aborted=%s%n",
                base, project, n, conc, ok.sum(), failed.sum(), secs, ok.sum() / secs,
                Bench.pctMs(sorted, 50), Bench.pctMs(sorted, 99), st.isEmpty() ? "-" : st, aborted.get());
        return aborted.get() ? 1 : 0;
    }

    static boolean isLoopback(URI uri) {
        // https: the trust store comes from -Djavax.net.ssl.trustStore (bench/run.sh with BENCH_TLS=1)
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            return false;
        }
        String h = uri.getHost();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(h)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        s = s.replaceAll("\\s+", " ");
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
