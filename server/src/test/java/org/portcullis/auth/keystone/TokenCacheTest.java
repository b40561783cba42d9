package org.portcullis.auth.keystone;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.ManualClock;

class TokenCacheTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));

    private TokenInfo token(Instant expires) {
        return new TokenInfo("u", "user", "default", "Default", "p", "project", "default", "Default", null, null,
                false, List.of("member", "reader"), expires, true);
    }

    @Test
    void validEntryLivesForTheCacheTime() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(300), 10, clock);
        String key = TokenCache.key("token", "abc");
        cache.putValid(key, token(clock.instant().plus(Duration.ofHours(1))));
        clock.advance(Duration.ofSeconds(299));
        assertThat(cache.get(key).info().userId()).isEqualTo("u");
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get(key)).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void entryNeverOutlivesTheTokensOwnExpiry() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(300), 10, clock);
        String key = TokenCache.key("token", "abc");
        cache.putValid(key, token(clock.instant().plus(Duration.ofSeconds(30))));
        clock.advance(Duration.ofSeconds(29));
        assertThat(cache.get(key)).isNotNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get(key)).isNull();
    }

    @Test
    void invalidTokensAreRememberedBriefly() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(300), 10, clock);
        String key = TokenCache.key("token", "bad");
        cache.putInvalid(key);
        TokenCache.Entry e = cache.get(key);
        assertThat(e).isNotNull();
        assertThat(e.info()).isNull();
        clock.advance(TokenCache.NEGATIVE_TIME);
        assertThat(cache.get(key)).isNull();
    }

    @Test
    void leastRecentlyUsedEntryIsEvictedBeyondTheBound() {
        TokenCache cache = new TokenCache(Duration.ofSeconds(300), 2, clock);
        Instant later = clock.instant().plus(Duration.ofHours(1));
        cache.putValid("a", token(later));
        cache.putValid("b", token(later));
        assertThat(cache.get("a")).isNotNull(); // a is now more recent than b
        cache.putValid("c", token(later));
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("a")).isNotNull();
        assertThat(cache.get("c")).isNotNull();
    }

    @Test
    void zeroCacheTimeCachesNothing() {
        TokenCache cache = new TokenCache(Duration.ZERO, 10, clock);
        cache.putValid("a", token(clock.instant().plus(Duration.ofHours(1))));
        cache.putInvalid("b");
        assertThat(cache.size()).isZero();
    }

    @Test
    void keyIsADigestSeparatedByPurposeNeverTheToken() {
        String key = TokenCache.key("token", "gAAAAABsecret");
        assertThat(key).hasSize(64).matches("[0-9a-f]+").doesNotContain("secret");
        assertThat(key).isEqualTo(TokenCache.key("token", "gAAAAABsecret"));
        assertThat(key).isNotEqualTo(TokenCache.key("allow-expired", "gAAAAABsecret"));
    }
}
