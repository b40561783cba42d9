package org.portcullis.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Iterator;
import java.util.Map;

/**
 * The one JSON mapper: strict on input (duplicate keys, trailing tokens, lone surrogates), plain
 * on output.
 */
public final class Json {
    /** Bodies are already capped by size; this also bounds nesting so a hostile body cannot exhaust the stack. */
    static final int MAX_DEPTH = 32;

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
    }

    private Json() {}

    /**
     * Parses a request body; anything that is not one JSON value of valid Unicode text is a 400,
     * described without the parser's internals.
     */
    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("Request body is empty; a JSON document was expected.");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed JSON: " + describe(e));
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("Malformed JSON.");
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.badRequest("Request body is empty; a JSON document was expected.");
        }
        requireValidUnicode(node);
        return node;
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return e.getOriginalMessage().contains("nesting depth")
                    ? "it is nested deeper than " + MAX_DEPTH + " levels."
                    : "a number or string in it is longer than this server accepts.";
        }
        if (e instanceof MismatchedInputException && e.getOriginalMessage().startsWith("Trailing token")) {
            return "there is more after the JSON value.";
        }
        String message = e.getOriginalMessage();
        // Some messages go on to point at the parser's own source position and settings.
        int detail = message.indexOf(" (start marker at");
        if (detail < 0) {
            detail = message.indexOf('\n');
        }
        return detail < 0 ? message : message.substring(0, detail) + ".";
    }

    /**
     * JSON escapes can spell half a UTF-16 surrogate pair ({@code "\ud800"}), which is no
     * character at all: stored, it would come back as {@code ?}. Refused in strings and in names.
     */
    private static void requireValidUnicode(JsonNode node) {
        if (node.isTextual()) {
            requireValidUnicode(node.textValue());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                requireValidUnicode(field.getKey());
                requireValidUnicode(field.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(Json::requireValidUnicode);
        }
    }

    private static void requireValidUnicode(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.badRequest(String.format(
                        "Malformed JSON: a string contains a lone UTF-16 surrogate (\\u%04x), which is not valid Unicode.",
                        (int) c));
            }
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
    }
}
