package org.portcullis.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Ids in URLs are canonical lower-case UUIDs; anything else names nothing (404). */
public final class ResourceIds {
    private ResourceIds() {}

    /** Counts the correlation ids of this process: their low half, so that none repeats here. */
    private static final AtomicLong CORRELATIONS = new AtomicLong();
    private static final long LOW_62 = (1L << 62) - 1;
    private static final long ODD = 0x9E3779B97F4A7C15L;

    /**
     * A version-4-shaped UUID for ids that only correlate lines and answers (request ids, audit
     * event ids) and guard nothing; never for a resource's id. {@link UUID#randomUUID}'s
     * SecureRandom read /dev/urandom under one lock that every request took, twice per payload
     * read. The high half is the thread's {@link ThreadLocalRandom}; the low half is this
     * process's count scrambled by a bijection of 62 bits, so no two ids of one process are equal
     * (a 64-bit generator alone repeats by the birthday bound: 3% at a billion ids) and they still
     * look random; another node's equal one needs the same count and the same random 60 bits.
     */
    public static String correlationId() {
        long msb = ThreadLocalRandom.current().nextLong() & ~0xF000L | 0x4000L; // version 4
        long low = CORRELATIONS.getAndIncrement() * ODD & LOW_62; // odd multiplier: a bijection mod 2^62
        low ^= low >>> 31; // an xorshift within 62 bits: a bijection too
        low = low * ODD & LOW_62;
        return new UUID(msb, low | (0x8000L << 48)).toString(); // IETF variant in the top two bits
    }

    public static String require(String id, String what) {
        if (!isCanonicalUuid(id)) {
            throw ApiException.notFound("Not Found. Provided " + what + " id is invalid.");
        }
        return id;
    }

    /**
     * What {@code UUID.fromString(id).toString().equals(id)} says, checked char by char: lower-case
     * hex digits with hyphens at 8, 13, 18 and 23. Every request on a resource asks, some twice.
     */
    public static boolean isCanonicalUuid(String id) {
        if (id == null || id.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
