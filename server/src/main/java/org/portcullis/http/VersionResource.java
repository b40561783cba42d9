package org.portcullis.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Version discovery at {@code /} (300 Multiple Choices) and {@code /v1}, in the two shapes
 * Barbican uses: 1.0 (no microversion header, which python-barbicanclient 5 and Castellan read)
 * and 1.1+ (min/max microversion, which newer clients read).
 */
public final class VersionResource {
    public void register(Router r) {
        r.open("GET", "/", ex -> {
            Microversion v = Microversion.fromHeader(ex.header(Microversion.HEADER));
            echo(ex, v);
            Map<String, Object> version = version(ex.baseUrl(), v);
            ex.json(300, Map.of("versions", v.atLeast(1, 1) ? List.of(version) : Map.of("values", List.of(version))));
        });
        r.open("GET", "/v1", ex -> {
            Microversion v = Microversion.fromHeader(ex.header(Microversion.HEADER));
            echo(ex, v);
            ex.json(200, Map.of("version", version(ex.baseUrl(), v)));
        });
    }

    private static void echo(Exchange ex, Microversion v) {
        ex.responseHeader(Microversion.HEADER, Microversion.SERVICE + " " + v);
        ex.responseHeader("Vary", Microversion.HEADER);
    }

    static Map<String, Object> version(String baseUrl, Microversion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "v1");
        m.put("status", v.atLeast(1, 1) ? "CURRENT" : "stable");
        if (v.atLeast(1, 1)) {
            m.put("min_version", Microversion.MIN.toString());
            m.put("max_version", Microversion.MAX.toString());
        }
        m.put("links", List.of(
                Map.of("rel", "self", "href", baseUrl + "/v1/"),
                Map.of("rel", "describedby", "type", "text/html", "href", "https://docs.openstack.org/")));
        if (!v.atLeast(1, 1)) {
            m.put("media-types", List.of(Map.of("base", "application/json",
                    "type", "application/vnd.openstack.key-manager-v1+json")));
        }
        return m;
    }
}
