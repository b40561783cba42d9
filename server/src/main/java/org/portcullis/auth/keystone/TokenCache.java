package org.portcullis.auth.keystone;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated tokens, so that Keystone is asked once per token and cache period rather than once
 * per request. Keys are SHA-256 digests: a heap dump shows no usable token. An entry lives for
 * the cache time, never beyond the token's own {@code expires_at}; a revoked token therefore
 * keeps working until its entry expires, as with keystonemiddleware. Invalid tokens are
 * remembered briefly so a client retrying a bad token does not turn into a Keystone load test.
 * The least recently used entry is evicted beyond {@code maxEntries}.
 */
public final class TokenCache {
    /** How long an invalid token is remembered, at most. */
    static final Duration NEGATIVE_TIME = Duration.ofSeconds(10);

    /** A cached answer: the token's details, or null for "Keystone said invalid". */
    public record Entry(TokenInfo info, Instant until) {}

    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final LinkedHashMap<String, Entry> entries;

    public TokenCache(Duration ttl, int maxEntries, Clock clock) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, TokenCache.Entry> eldest) {
                return size() > TokenCache.this.maxEntries;
            }
        };
    }

    /** The live entry for {@code key} (see {@link #key}), or null. */
    public Entry get(String key) {
        Instant now = clock.instant();
        synchronized (entries) {
            Entry e = entries.get(key);
            if (e == null) {
                return null;
            }
            if (!now.isBefore(e.until())) {
                entries.remove(key);
                return null;
            }
            return e;
        }
    }

    /** Remembers a valid token until the cache time passes or the token expires, whichever is first. */
    public void putValid(String key, TokenInfo info) {
        Instant until = clock.instant().plus(ttl);
        if (info.expiresAt().isBefore(until)) {
            until = info.expiresAt();
        }
        put(key, new Entry(info, until));
    }

    public void putInvalid(String key) {
        put(key, new Entry(null, clock.instant().plus(ttl.compareTo(NEGATIVE_TIME) < 0 ? ttl : NEGATIVE_TIME)));
    }

    private void put(String key, Entry entry) {
        if (ttl.isZero() || !clock.instant().isBefore(entry.until())) {
            return; // caching disabled (token_cache_time <= 0), or nothing left to cache
        }
        synchronized (entries) {
            entries.put(key, entry);
        }
    }

    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** The cache key of a token: hex SHA-256 of a purpose tag and the token, never the token itself. */
    public static String key(String purpose, String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(purpose.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
