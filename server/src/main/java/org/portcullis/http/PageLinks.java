package org.portcullis.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Barbican's paging links: {@code previous} when the page does not start at 0, {@code next} when
 * more follow; both keep the caller's other query parameters, as upstream does now.
 */
public final class PageLinks {
    private PageLinks() {}

    public static void add(Map<String, Object> body, String collectionUrl, Map<String, String> query, int limit,
            int offset, int total, int returned) {
        if (returned == 0) {
            return;
        }
        if (offset > 0) {
            body.put("previous", link(collectionUrl, query, limit, Math.max(0, offset - limit)));
        }
        if (total > offset + limit) {
            body.put("next", link(collectionUrl, query, limit, offset + limit));
        }
    }

    private static String link(String collectionUrl, Map<String, String> query, int limit, int offset) {
        StringBuilder sb = new StringBuilder(collectionUrl).append("?limit=").append(limit).append("&offset=").append(offset);
        query.forEach((k, v) -> {
            if (!k.equals("limit") && !k.equals("offset")) {
                sb.append('&').append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return sb.toString();
    }
}
