package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketRateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private void advanceMillis(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    @Test
    void admitsTheBurstThenOneRequestPerIntervalAndSaysHowLongToWait() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(2, 3, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("p")).isZero();
        }
        assertThat(limiter.acquire("p")).isEqualTo(Duration.ofMillis(500));
        advanceMillis(200);
        assertThat(limiter.acquire("p")).isEqualTo(Duration.ofMillis(300));
        advanceMillis(300);
        assertThat(limiter.acquire("p")).isZero();
        assertThat(limiter.acquire("p")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void projectsHaveSeparateBucketsAndIdleOnesRefillOnlyToTheBurst() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(1, 2, now::get);
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isPositive();
        assertThat(limiter.acquire("b")).isZero();
        advanceMillis(60_000);
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).as("a minute idle buys only the burst").isPositive();
    }

    @Test
    void fullBucketsAreEvicted() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(10, 1, now::get);
        limiter.acquire("a");
        limiter.acquire("b");
        advanceMillis(50);
        limiter.acquire("c");
        advanceMillis(60);
        limiter.evictIdle(now.get());
        assertThat(limiter.size()).as("a and b refilled, c did not").isEqualTo(1);
    }
}
