package org.portcullis.http;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One token bucket per project, in this node's memory: {@code burst} requests at once, refilled
 * at {@code perSecond}. Several nodes each apply the limit, so N nodes admit up to N times the
 * rate; that is the price of keeping the database out of every request.
 *
 * <p>Idle projects' buckets are full and can be dropped; {@link #evictIdle} does that when the
 * table grows, so a flood of distinct project ids costs bounded memory.
 */
public final class TokenBucketRateLimiter implements RateLimiter {
    private static final int EVICT_ABOVE = 10_000;

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    public TokenBucketRateLimiter(double perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    TokenBucketRateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        this.perNano = perSecond / TimeUnit.SECONDS.toNanos(1);
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    @Override
    public Duration acquire(String project) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > EVICT_ABOVE) {
            evictIdle(now);
        }
        Bucket bucket = buckets.computeIfAbsent(project, p -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) * perNano);
            bucket.updated = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / perNano));
        }
    }

    /** Drops the buckets that have refilled completely: they behave exactly like absent ones. */
    void evictIdle(long now) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            synchronized (b) {
                return b.tokens + (now - b.updated) * perNano >= burst;
            }
        });
    }

    int size() {
        return buckets.size();
    }
}
