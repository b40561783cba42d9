package org.portcullis.http;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One method + path template, e.g. {@code GET /v1/secrets/{id}/metadata/{key}}. {@code template}
 * is the template as one string ({@code /v1/secrets/{id}}): what metrics and logs name a request
 * by, never its path; built once here, as every request names its route.
 */
record Route(String method, List<String> segments, String template, Handler handler, boolean authenticated) {

    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    static Route of(String method, String path, Handler handler, boolean authenticated) {
        List<String> segments = split(path);
        return new Route(method, segments, "/" + String.join("/", segments), handler, authenticated);
    }

    static List<String> split(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    /** The template's parameters bound to the path's segments, or null when it does not match. */
    Map<String, String> match(List<String> path) {
        if (path.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.size(); i++) {
            String template = segments.get(i);
            if (template.startsWith("{")) {
                if (params == null) {
                    params = new HashMap<>(4);
                }
                params.put(template.substring(1, template.length() - 1), path.get(i));
            } else if (!template.equals(path.get(i))) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    /** Literal segments beat parameters: {@code /secret-stores/preferred} before {@code /{id}}. */
    int specificity() {
        int literal = 0;
        for (String s : segments) {
            literal = literal * 2 + (s.startsWith("{") ? 0 : 1);
        }
        return literal;
    }
}
