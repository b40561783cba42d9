package org.portcullis.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Ids in URLs are canonical lower-case UUIDs; anything else names nothing (404). */
public final class ResourceIds {
    private ResourceIds() {}

    /**
     * A random (version 4) UUID from the thread's {@link ThreadLocalRandom}, for ids that only
     * correlate lines and answers (request ids, audit event ids) and guard nothing; never for a
     * resource's id. {@link UUID#randomUUID}'s SecureRandom read /dev/urandom under one lock that
     * every request took, twice per payload read (its request id and its audit event's id).
     */
    public static String correlationId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = random.nextLong() & ~0xF000L | 0x4000L; // version 4
        long lsb = random.nextLong() & ~(0xC000L << 48) | (0x8000L << 48); // IETF variant
        return new UUID(msb, lsb).toString();
    }

    public static String require(String id, String what) {
        if (!isCanonicalUuid(id)) {
            throw ApiException.notFound("Not Found. Provided " + what + " id is invalid.");
        }
        return id;
    }

    public static boolean isCanonicalUuid(String id) {
        if (id == null || id.length() != 36) {
            return false;
        }
        try {
            return UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
