package org.portcullis.http;

import java.util.UUID;

/** Ids in URLs are canonical lower-case UUIDs; anything else names nothing (404). */
public final class ResourceIds {
    private ResourceIds() {}

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
