package org.portcullis.secrets;

import org.portcullis.http.Timestamps;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.portcullis.http.ApiException;
import org.portcullis.http.Paging;

/**
 * Turns request bodies and query strings into validated records, with Barbican's rules and a
 * 400 (or 413) that names the offending property. Nothing here touches storage.
 */
final class SecretRequests {
    private static final int MAX_TEXT = 255;
    private static final Pattern METADATA_KEY = Pattern.compile("^[A-Za-z0-9_-]*$");
    private static final Set<String> SORTABLE = Set.of("algorithm", "bit_length", "created", "expiration", "mode",
            "name", "secret_type", "status", "updated");

    private SecretRequests() {}

    static NewSecret newSecret(JsonNode body, long maxSecretBytes) {
        if (!body.isObject()) {
            throw ApiException.badRequest("A secret is described by a JSON object.");
        }
        String name = optionalText(body, "name");
        String algorithm = optionalText(body, "algorithm");
        String mode = optionalText(body, "mode");
        Integer bitLength = optionalInt(body, "bit_length", 1, 32767);
        SecretType type = SecretType.OPAQUE;
        String typeText = optionalText(body, "secret_type");
        if (typeText != null) {
            type = SecretType.fromApi(typeText);
            if (type == null) {
                throw invalid("secret_type", "'" + typeText + "' is not one of " + SecretType.allowed());
            }
        }
        Long expiration = expiration(optionalText(body, "expiration"));
        JsonNode payloadNode = body.get("payload");
        boolean hasPayload = payloadNode != null && !payloadNode.isNull();
        String rawType = optionalRawText(body, "payload_content_type");
        String encoding = optionalText(body, "payload_content_encoding");
        if (!hasPayload) {
            if (rawType != null) {
                throw invalid("payload", "payload must be provided when payload_content_type is specified");
            }
            return new NewSecret(name, type, algorithm, bitLength, mode, expiration, null, null);
        }
        if (!payloadNode.isTextual()) {
            throw invalid("payload", "must be a string");
        }
        if (rawType == null) {
            throw invalid("payload_content_type", "if 'payload' is supplied, 'payload_content_type' must also be supplied");
        }
        String contentType = PayloadFormats.normalize(rawType);
        if (contentType == null) {
            throw invalid("payload_content_type", "'" + rawType + "' is not one of " + PayloadFormats.SUPPORTED);
        }
        if (PayloadFormats.isText(contentType)) {
            if (encoding != null) {
                throw invalid("payload_content_encoding", "text/plain payloads take no encoding");
            }
        } else if (!"base64".equals(encoding)) {
            throw invalid("payload_content_encoding", contentType + " payloads must be sent with "
                    + "payload_content_encoding 'base64'");
        }
        String payloadText = payloadNode.textValue();
        if (payloadText.getBytes(StandardCharsets.UTF_8).length > base64Allowance(maxSecretBytes, contentType)) {
            throw tooLarge(maxSecretBytes);
        }
        payloadText = payloadText.strip();
        if (payloadText.isEmpty()) {
            throw invalid("payload", "if 'payload' is specified, it must be non empty");
        }
        byte[] payload = PayloadFormats.isText(contentType)
                ? payloadText.getBytes(StandardCharsets.UTF_8)
                : PayloadFormats.decodeBase64(payloadText, "payload");
        if (payload.length == 0) {
            throw invalid("payload", "the base64 payload decodes to nothing");
        }
        if (payload.length > maxSecretBytes) {
            throw tooLarge(maxSecretBytes);
        }
        return new NewSecret(name, type, algorithm, bitLength, mode, expiration, payload, contentType);
    }

    /** How a secret's payload travels: wrapped with a transport key, or announced for later. */
    record Transport(boolean keyNeeded, String keyId) {}

    static Transport transport(JsonNode body) {
        String needed = optionalText(body, "transport_key_needed");
        if (needed != null && !needed.equalsIgnoreCase("true") && !needed.equalsIgnoreCase("false")) {
            throw invalid("transport_key_needed", "must be \"true\" or \"false\"");
        }
        return new Transport("true".equalsIgnoreCase(needed), optionalText(body, "transport_key_id"));
    }

    /** Base64 text is 4/3 of the bytes it carries; the limit applies to the secret itself. */
    private static long base64Allowance(long maxSecretBytes, String contentType) {
        return PayloadFormats.isText(contentType) ? maxSecretBytes : (maxSecretBytes + 2) / 3 * 4 + 1024;
    }

    static ApiException tooLarge(long maxSecretBytes) {
        return new ApiException(413, "Provided information too large to process: secrets are limited to "
                + maxSecretBytes + " bytes.");
    }

    private static Long expiration(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Long millis = Timestamps.parse(text);
        if (millis == null) {
            throw invalid("expiration", "invalid date '" + text + "'; expected ISO 8601 such as 2030-01-31T12:00:00Z");
        }
        return millis;
    }

    // ---- metadata --------------------------------------------------------------------------

    static Map<String, String> metadata(JsonNode body) {
        if (!body.isObject() || !body.has("metadata")) {
            throw invalid("metadata", "'metadata' is a required property");
        }
        JsonNode meta = body.get("metadata");
        if (!meta.isObject()) {
            throw invalid("metadata", "must be a JSON object of string keys and values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        var fields = meta.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getValue().isTextual()) {
                throw ApiException.badRequest("Invalid Metadata. Keys and Values must be Strings.");
            }
            out.put(metadataKey(e.getKey()), checkLength("value", e.getValue().textValue()));
        }
        return out;
    }

    /** A {@code {"key": …, "value": …}} body; nothing else may be in it. */
    static Map.Entry<String, String> metadatum(JsonNode body) {
        if (!body.isObject()) {
            throw invalid("key", "a metadatum is a JSON object {\"key\": ..., \"value\": ...}");
        }
        Set<String> extra = new HashSet<>();
        body.fieldNames().forEachRemaining(extra::add);
        extra.removeAll(Set.of("key", "value"));
        if (!extra.isEmpty()) {
            throw invalid(extra.iterator().next(), "additional properties are not allowed");
        }
        JsonNode key = body.get("key");
        JsonNode value = body.get("value");
        if (key == null || !key.isTextual()) {
            throw invalid("key", "'key' is a required string");
        }
        if (value == null || !value.isTextual()) {
            throw invalid("value", "'value' is a required string");
        }
        return Map.entry(metadataKey(key.textValue()), checkLength("value", value.textValue()));
    }

    private static String metadataKey(String key) {
        if (!METADATA_KEY.matcher(key).matches()) {
            throw ApiException.badRequest("Invalid Key. Key must be URL safe.");
        }
        return checkLength("key", key.toLowerCase(java.util.Locale.ROOT));
    }

    private static String checkLength(String property, String value) {
        if (value.length() > MAX_TEXT) {
            throw invalid(property, "is longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    // ---- list query --------------------------------------------------------------------------

    static SecretFilter filter(Map<String, String> q) {
        Paging paging = Paging.of(q);
        Integer bits = null;
        try {
            if (q.get("bits") != null) {
                int b = Integer.parseInt(q.get("bits").strip());
                bits = b > 0 ? b : null;
            }
        } catch (NumberFormatException ignored) {
            // Barbican ignores a bits filter that is not a positive integer.
        }
        List<SecretFilter.TimeCondition> times = new ArrayList<>();
        for (String column : List.of("created", "updated", "expiration")) {
            String value = q.get(column);
            if (value != null && !value.isBlank()) {
                times.addAll(timeConditions(column.equals("expiration") ? "expiration" : column + "_at", value));
            }
        }
        return new SecretFilter(blankToNull(q.get("name")), blankToNull(q.get("alg")), blankToNull(q.get("mode")), bits,
                blankToNull(q.get("secret_type")), times, sort(q.get("sort")),
                "true".equalsIgnoreCase(q.getOrDefault("acl_only", "").strip()), paging.limit(), paging.offset());
    }

    private static List<SecretFilter.TimeCondition> timeConditions(String column, String value) {
        List<SecretFilter.TimeCondition> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : value.split(",")) {
            String op = "=";
            String time = part.strip();
            int colon = time.indexOf(':');
            if (colon > 0 && time.substring(0, colon).matches("gt|gte|lt|lte")) {
                op = switch (time.substring(0, colon)) {
                    case "gt" -> ">";
                    case "gte" -> ">=";
                    case "lt" -> "<";
                    default -> "<=";
                };
                time = time.substring(colon + 1);
            }
            Long millis = Timestamps.parse(time);
            String family = op.startsWith(">") ? ">" : op.startsWith("<") ? "<" : "=";
            if (millis == null || !seen.add(family) || (family.equals("=") && (seen.contains(">") || seen.contains("<")))
                    || (!family.equals("=") && seen.contains("="))) {
                throw ApiException.badRequest("URI provided invalid query string parameters.");
            }
            out.add(new SecretFilter.TimeCondition(column, op, millis));
        }
        return out;
    }

    private static List<SecretFilter.SortKey> sort(String value) {
        List<SecretFilter.SortKey> keys = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return keys;
        }
        Set<String> seen = new HashSet<>();
        for (String part : value.split(",")) {
            String[] kv = part.strip().split(":", -1);
            if (kv.length > 2 || !SORTABLE.contains(kv[0]) || !seen.add(kv[0])) {
                throw ApiException.badRequest("URI provided invalid query string parameters.");
            }
            String dir = kv.length == 2 ? kv[1] : "asc";
            if (!dir.equals("asc") && !dir.equals("desc")) {
                throw ApiException.badRequest("URI provided invalid query string parameters.");
            }
            String column = switch (kv[0]) {
                case "created", "updated" -> kv[0] + "_at";
                default -> kv[0];
            };
            keys.add(new SecretFilter.SortKey(column, dir.equals("desc")));
        }
        return keys;
    }


    // ---- JSON field helpers --------------------------------------------------------------------

    private static String optionalRawText(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw invalid(field, "must be a string");
        }
        return checkLength(field, n.textValue().strip());
    }

    private static String optionalText(JsonNode body, String field) {
        String value = optionalRawText(body, field);
        return value == null || value.isEmpty() ? (field.equals("name") ? value : null) : value;
    }

    private static Integer optionalInt(JsonNode body, String field, int min, int max) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && n.doubleValue() == Math.rint(n.doubleValue()))) {
            throw invalid(field, "must be an integer");
        }
        if (!n.canConvertToLong()) {
            throw invalid(field, n.asText() + " is outside " + min + ".." + max);
        }
        long v = n.asLong();
        if (v < min || v > max) {
            throw invalid(field, v + " is outside " + min + ".." + max);
        }
        return (int) v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static ApiException invalid(String property, String reason) {
        return ApiException.badRequest("Invalid property '" + property + "': " + reason + ".");
    }
}
