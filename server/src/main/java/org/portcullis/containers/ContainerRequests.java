package org.portcullis.containers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.portcullis.http.ApiException;
import org.portcullis.http.Paging;
import org.portcullis.http.SchemaErrors;

/**
 * Turns container request bodies and query strings into validated records, as Barbican's
 * Container, ContainerSecret and Consumer validators do: every string is stripped first, unknown
 * fields are ignored, and a body that breaks the schema gets the 400 Barbican gives, naming the
 * same rule and property (when several rules are broken, the shallowest one, as jsonschema's best
 * match picks it). Whether referenced secrets exist is the service's question.
 */
final class ContainerRequests {
    static final int MAX_NAME = 255;
    static final int MAX_CONSUMER_NAME = 36;
    static final int MAX_URL = 255;
    private static final String CONTAINER = "Container";
    private static final String CONSUMER = "Consumer";
    private static final String CONTAINER_SECRET = "ContainerSecret";
    private static final String TYPES = "['generic', 'rsa', 'certificate']";

    private ContainerRequests() {}

    // ---- POST /v1/containers ----------------------------------------------------------------

    /**
     * @param baseUrl this server's base URL: secret refs must start with it, so a client cannot
     *     slip in a ref that points elsewhere
     */
    static NewContainer newContainer(JsonNode raw, String baseUrl) {
        JsonNode body = SchemaErrors.stripped(raw);
        Violations v = new Violations(CONTAINER);
        if (!body.isObject()) {
            v.add(0, SchemaErrors.notOfType(body, "object"), null);
            throw v.first();
        }
        nullableString(v, body.get("name"), 1, "name", MAX_NAME);
        JsonNode type = body.get("type");
        if (type == null) {
            v.add(0, SchemaErrors.required("type"), null);
        } else if (!type.isTextual()) {
            v.add(1, SchemaErrors.notOfType(type, "string"), "type");
        } else if (ContainerType.fromApi(type.textValue()) == null
                || !ContainerType.fromApi(type.textValue()).creatableByClients()) {
            v.add(1, SchemaErrors.repr(type) + " is not one of " + TYPES, "type");
        }
        JsonNode refs = body.get("secret_refs");
        if (refs != null) {
            if (!refs.isArray()) {
                v.add(1, SchemaErrors.notOfType(refs, "array"), "secret_refs");
            } else {
                for (JsonNode item : refs) {
                    if (!item.isObject()) {
                        v.add(2, SchemaErrors.notOfType(item, "object"), "secret_refs");
                        continue;
                    }
                    nullableString(v, item.get("name"), 3, "secret_refs", MAX_NAME);
                    JsonNode ref = item.get("secret_ref");
                    if (ref == null) {
                        v.add(2, SchemaErrors.required("secret_ref"), "secret_refs");
                    } else {
                        string(v, ref, 3, "secret_refs", 1, Integer.MAX_VALUE);
                    }
                }
            }
        }
        v.throwIfAny();

        String name = textOrNull(body.get("name"));
        ContainerType containerType = ContainerType.fromApi(type.textValue());
        List<ContainerSecret> secrets = refs == null ? List.of() : secretRefs(refs, baseUrl);
        if (!secrets.isEmpty()) {
            // As in Barbican, the naming rules of a typed container apply only when it lists
            // secrets at all: an empty rsa container is accepted.
            checkNames(containerType, secrets.stream().map(ContainerSecret::name).toList());
        }
        return new NewContainer(name, containerType, secrets);
    }

    /** The refs of a schema-valid body: no repeated name, no repeated secret, all on this server. */
    private static List<ContainerSecret> secretRefs(JsonNode refs, String baseUrl) {
        List<ContainerSecret> out = new ArrayList<>();
        // An absent name and a null name count as different names here (Barbican's rule), though
        // both are stored as no name.
        Set<String> names = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode item : refs) {
            String refName = textOrNull(item.get("name"));
            names.add(item.has("name") ? refName : "");
            String secretId = secretIdOf(item.get("secret_ref").textValue());
            ids.add(secretId);
            out.add(new ContainerSecret(refName, secretId));
        }
        if (names.size() != out.size()) {
            throw SchemaErrors.invalid(CONTAINER, "Duplicate reference names are not allowed", "secret_refs");
        }
        if (ids.size() != out.size()) {
            throw SchemaErrors.invalid(CONTAINER, "Duplicate secret ids are not allowed", "secret_refs");
        }
        for (JsonNode item : refs) {
            if (!item.get("secret_ref").textValue().startsWith(baseUrl)) {
                // Barbican's whole answer to a ref that points at another host.
                throw ApiException.badRequest("Provided field value is not supported");
            }
        }
        return out;
    }

    /**
     * The reference names of a typed container: no name outside the type's set, every required
     * one present (a name appears once at most: repeated names are refused before).
     */
    static void checkNames(ContainerType type, List<String> names) {
        if (!type.restrictsNames()) {
            return;
        }
        Set<String> allowed = type.allowedNames();
        for (String n : names) {
            if (n == null || !allowed.contains(n)) {
                throw SchemaErrors.invalid(CONTAINER, type.unsupportedNamesMessage(), "secret_refs");
            }
        }
        if (!names.containsAll(type.requiredNames())) {
            throw SchemaErrors.invalid(CONTAINER, type.missingNamesMessage(), "secret_refs");
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

    static ConsumerRef consumer(JsonNode raw) {
        JsonNode body = SchemaErrors.stripped(raw);
        Violations v = new Violations(CONSUMER);
        if (!body.isObject()) {
            v.add(0, SchemaErrors.notOfType(body, "object"), null);
            throw v.first();
        }
        JsonNode url = body.get("URL");
        JsonNode name = body.get("name");
        if (url != null) {
            string(v, url, 1, "URL", 1, MAX_URL);
        }
        if (name != null) {
            string(v, name, 1, "name", 1, MAX_CONSUMER_NAME);
        }
        if (name == null) {
            v.add(0, SchemaErrors.required("name"), null);
        }
        if (url == null) {
            v.add(0, SchemaErrors.required("URL"), null);
        }
        v.throwIfAny();
        return new ConsumerRef(name.textValue(), url.textValue());
    }

    // ---- POST/DELETE /v1/containers/{id}/secrets -----------------------------------------------

    static SecretRefRequest secretRef(JsonNode raw) {
        JsonNode body = SchemaErrors.stripped(raw);
        Violations v = new Violations(CONTAINER_SECRET);
        if (!body.isObject()) {
            v.add(0, SchemaErrors.notOfType(body, "object"), null);
            throw v.first();
        }
        JsonNode name = body.get("name");
        JsonNode ref = body.get("secret_ref");
        if (name != null) {
            string(v, name, 1, "name", 0, MAX_NAME);
        }
        if (ref == null) {
            v.add(0, SchemaErrors.required("secret_ref"), null);
        } else {
            string(v, ref, 1, "secret_ref", 1, Integer.MAX_VALUE);
        }
        v.throwIfAny();
        String href = ref.textValue();
        // Here Barbican takes what follows the last slash, trailing slash or not.
        String secretId = href.indexOf('/') < 0 ? "" : href.substring(href.lastIndexOf('/') + 1);
        return new SecretRefRequest(name == null ? null : name.textValue(), href, secretId);
    }

    // ---- list query -------------------------------------------------------------------------------

    static ContainerFilter filter(Map<String, String> q) {
        return new ContainerFilter(blankToNull(q.get("name")), blankToNull(q.get("type")), Paging.of(q));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** A schema {@code {"type": ["string", "null"], "maxLength": max}}; absent is fine. */
    private static void nullableString(Violations v, JsonNode n, int depth, String property, int max) {
        if (n == null || n.isNull()) {
            return;
        }
        if (!n.isTextual()) {
            v.add(depth, SchemaErrors.repr(n) + " is not of type 'string', 'null'", property);
        } else if (n.textValue().length() > max) {
            v.add(depth, SchemaErrors.repr(n) + " is too long", property);
        }
    }

    /** A schema {@code {"type": "string", "minLength": min, "maxLength": max}}. */
    private static void string(Violations v, JsonNode n, int depth, String property, int min, int max) {
        if (!n.isTextual()) {
            v.add(depth, SchemaErrors.notOfType(n, "string"), property);
        } else if (n.textValue().length() > max) {
            v.add(depth, SchemaErrors.repr(n) + " is too long", property);
        } else if (n.textValue().length() < min) {
            v.add(depth, SchemaErrors.repr(n) + " is too short", property);
        }
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.textValue();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * The schema rules a body breaks, reported as jsonschema's best match does: the one nearest
     * the root of the document, the first found among equals. Callers add them in the order
     * jsonschema meets them (properties in schema order, then required).
     */
    private static final class Violations {
        private final String schema;
        private int depth = Integer.MAX_VALUE;
        private String reason;
        private String property;

        Violations(String schema) {
            this.schema = schema;
        }

        void add(int atDepth, String why, String prop) {
            if (atDepth < depth) {
                depth = atDepth;
                reason = why;
                property = prop;
            }
        }

        ApiException first() {
            return SchemaErrors.invalid(schema, reason, property);
        }

        void throwIfAny() {
            if (reason != null) {
                throw first();
            }
        }
    }
}
