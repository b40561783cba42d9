package org.portcullis.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.portcullis.http.ApiException;
import org.portcullis.http.Paging;

/**
 * Turns container request bodies and query strings into validated records, with Barbican's
 * rules: every string is stripped first, unknown fields are ignored, and a broken rule is a 400
 * that names the property. Whether referenced secrets exist is the service's question.
 */
final class ContainerRequests {
    static final int MAX_NAME = 255;
    static final int MAX_CONSUMER_NAME = 36;
    static final int MAX_URL = 255;

    private ContainerRequests() {}

    // ---- POST /v1/containers ----------------------------------------------------------------

    /**
     * @param baseUrl this server's base URL: secret refs must start with it, so a client cannot
     *     slip in a ref that points elsewhere
     */
    static NewContainer newContainer(JsonNode body, String baseUrl) {
        if (!body.isObject()) {
            throw ApiException.badRequest("A container is described by a JSON object.");
        }
        String name = nullableText(body, "name", "name", MAX_NAME);
        JsonNode typeNode = body.get("type");
        if (typeNode == null) {
            throw invalid("type", "'type' is a required property");
        }
        if (!typeNode.isTextual()) {
            throw invalid("type", "must be a string");
        }
        ContainerType type = ContainerType.fromApi(typeNode.textValue().strip());
        if (type == null || !type.creatableByClients()) {
            throw invalid("type", "'" + typeNode.textValue().strip() + "' is not one of ['generic', 'rsa', 'certificate']");
        }
        List<ContainerSecret> secrets = secretRefs(body, baseUrl);
        if (!secrets.isEmpty()) {
            // As in Barbican, the naming rules of a typed container apply only when it lists
            // secrets at all: an empty rsa container is accepted.
            checkNames(type, secrets.stream().map(ContainerSecret::name).toList());
        }
        return new NewContainer(name, type, secrets);
    }

    private static List<ContainerSecret> secretRefs(JsonNode body, String baseUrl) {
        if (!body.has("secret_refs")) {
            return List.of();
        }
        JsonNode refs = body.get("secret_refs");
        if (!refs.isArray()) {
            throw invalid("secret_refs", "must be a list of {\"name\": ..., \"secret_ref\": ...} objects");
        }
        List<ContainerSecret> out = new ArrayList<>();
        // An absent name and a null name count as different names here (Barbican's rule), though
        // both are stored as no name.
        Set<String> names = new HashSet<>();
        Set<String> ids = new HashSet<>();
        List<String> hrefs = new ArrayList<>();
        for (JsonNode item : refs) {
            if (!item.isObject()) {
                throw invalid("secret_refs", "every entry must be a JSON object");
            }
            String refName = nullableText(item, "name", "secret_refs", MAX_NAME);
            JsonNode refNode = item.get("secret_ref");
            if (refNode == null) {
                throw invalid("secret_refs", "'secret_ref' is a required property of every entry");
            }
            if (!refNode.isTextual() || refNode.textValue().isBlank()) {
                throw invalid("secret_refs", "'secret_ref' must be a non-empty string");
            }
            String href = refNode.textValue().strip();
            names.add(item.has("name") ? refName : "");
            String secretId = secretIdOf(href);
            ids.add(secretId);
            hrefs.add(href);
            out.add(new ContainerSecret(refName, secretId));
        }
        if (names.size() != out.size()) {
            throw invalid("secret_refs", "duplicate reference names are not allowed");
        }
        if (ids.size() != out.size()) {
            throw invalid("secret_refs", "a secret may appear only once in a container");
        }
        for (String href : hrefs) {
            if (!href.startsWith(baseUrl)) {
                throw invalid("secret_ref", "'" + href + "' is not a secret of this server (refs start with "
                        + baseUrl + "/v1/secrets/)");
            }
        }
        return out;
    }

    /** The reference names of a typed container: no unknown name, every required one present. */
    static void checkNames(ContainerType type, List<String> names) {
        if (!type.restrictsNames()) {
            return;
        }
        Set<String> allowed = type.allowedNames();
        for (String n : names) {
            if (n == null || !allowed.contains(n)) {
                throw invalid("secret_refs", "a " + type.apiName() + " container takes only the reference names "
                        + new TreeSet<>(allowed) + ", not " + (n == null ? "an unnamed secret" : "'" + n + "'"));
            }
        }
        Set<String> missing = new TreeSet<>(type.requiredNames());
        missing.removeAll(names);
        if (!missing.isEmpty()) {
            throw invalid("secret_refs", "a " + type.apiName() + " container needs the reference names "
                    + new TreeSet<>(type.requiredNames()) + "; " + missing + " missing");
        }
    }

    /**
     * Barbican's reading of a secret ref: the last path segment (one trailing slash allowed).
     * Whatever it yields is only an id to look up, so a ref that names nothing is a 404 later.
     */
    static String secretIdOf(String ref) {
        String r = ref.endsWith("/") ? ref.substring(0, ref.length() - 1) : ref;
        int slash = r.lastIndexOf('/');
        return slash < 0 ? r : r.substring(slash + 1);
    }

    // ---- consumers ------------------------------------------------------------------------------

    static ConsumerRef consumer(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.badRequest("A consumer is described by a JSON object {\"name\": ..., \"URL\": ...}.");
        }
        String name = requiredText(body, "name", 1, MAX_CONSUMER_NAME);
        String url = requiredText(body, "URL", 1, MAX_URL);
        return new ConsumerRef(name, url);
    }

    // ---- POST/DELETE /v1/containers/{id}/secrets -----------------------------------------------

    static SecretRefRequest secretRef(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.badRequest(
                    "A container secret is described by a JSON object {\"name\": ..., \"secret_ref\": ...}.");
        }
        String name = null;
        JsonNode n = body.get("name");
        if (n != null) {
            if (!n.isTextual()) {
                throw invalid("name", "must be a string");
            }
            name = checkLength("name", n.textValue().strip(), MAX_NAME);
        }
        String ref = requiredText(body, "secret_ref", 1, Integer.MAX_VALUE);
        return new SecretRefRequest(name, ref, ref.indexOf('/') < 0 ? "" : ref.substring(ref.lastIndexOf('/') + 1));
    }

    // ---- list query -------------------------------------------------------------------------------

    static ContainerFilter filter(Map<String, String> q) {
        return new ContainerFilter(blankToNull(q.get("name")), blankToNull(q.get("type")), Paging.of(q));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** An optional string that may also be null; stripped and length-checked. */
    private static String nullableText(JsonNode body, String field, String property, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw invalid(property, "'" + field + "' must be a string or null");
        }
        return checkLength(property, n.textValue().strip(), max);
    }

    private static String requiredText(JsonNode body, String field, int min, int max) {
        JsonNode n = body.get(field);
        if (n == null) {
            throw invalid(field, "'" + field + "' is a required property");
        }
        if (!n.isTextual()) {
            throw invalid(field, "must be a string");
        }
        String value = n.textValue().strip();
        if (value.length() < min) {
            throw invalid(field, "must not be empty");
        }
        return checkLength(field, value, max);
    }

    private static String checkLength(String property, String value, int max) {
        if (value.length() > max) {
            throw invalid(property, "is longer than " + max + " characters");
        }
        return value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static ApiException invalid(String property, String reason) {
        return ApiException.badRequest("Invalid property '" + property + "': " + reason + ".");
    }
}
