package org.portcullis.http;

import java.math.BigInteger;
import java.util.Map;

/**
 * A page of a list, from {@code limit} and {@code offset} as Barbican reads them: never an error.
 * Limit: missing, empty or not a number → 10, below 1 → 1, above 100 → 100. Offset: missing, not a
 * number or negative → 0.
 */
public record Paging(int limit, int offset) {
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    public static Paging of(Map<String, String> query) {
        BigInteger limit = integer(query.get("limit"));
        BigInteger offset = integer(query.get("offset"));
        int l = limit == null ? DEFAULT_LIMIT
                : limit.compareTo(BigInteger.ONE) < 0 ? 1
                : limit.compareTo(BigInteger.valueOf(MAX_LIMIT)) > 0 ? MAX_LIMIT : limit.intValue();
        int o = offset == null || offset.signum() < 0 ? 0
                : offset.min(BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
        return new Paging(l, o);
    }

    /** Python's int(): surrounding blanks and a sign are fine, anything else is no number. */
    private static BigInteger integer(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return new BigInteger(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
