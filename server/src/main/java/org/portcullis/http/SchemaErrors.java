package org.portcullis.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Barbican's 400 for a body that fails its JSON schema ({@code InvalidObject}): "Provided object
 * does not match schema 'NAME': REASON. Invalid property: 'PROPERTY'", with REASON worded as
 * Python's jsonschema words it (values in Python repr), so clients that show or match the text
 * see what Barbican would say.
 */
public final class SchemaErrors {
    private SchemaErrors() {}

    /** @param property the offending top-level property, or null (Barbican prints 'None') */
    public static ApiException invalid(String schema, String reason, String property) {
        return ApiException.badRequest("Provided object does not match schema '" + schema + "': " + reason
                + ". Invalid property: '" + (property == null ? "None" : property) + "'");
    }

    public static String notOfType(JsonNode value, String type) {
        return repr(value) + " is not of type '" + type + "'";
    }

    public static String required(String property) {
        return "'" + property + "' is a required property";
    }

    /** jsonschema's additionalProperties message for the unexpected names, in body order. */
    public static String unexpected(Iterable<String> names) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (String name : names) {
            sb.append(n++ == 0 ? "" : ", ").append(pyString(name));
        }
        return "Additional properties are not allowed (" + sb + (n == 1 ? " was" : " were") + " unexpected)";
    }

    /** A parsed JSON value as Python prints it (json.loads result, then repr). */
    public static String repr(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "None";
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "True" : "False";
        }
        if (v.isTextual()) {
            return pyString(v.textValue());
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        if (v.isNumber()) {
            return pyFloat(v.doubleValue());
        }
        StringBuilder sb = new StringBuilder();
        if (v.isArray()) {
            sb.append('[');
            for (int i = 0; i < v.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(repr(v.get(i)));
            }
            return sb.append(']').toString();
        }
        sb.append('{');
        Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
        boolean first = true;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            sb.append(first ? "" : ", ").append(pyString(e.getKey())).append(": ").append(repr(e.getValue()));
            first = false;
        }
        return sb.append('}').toString();
    }

    /** Python's float repr: shortest round-trip digits, exponent only below 1e-4 or from 1e16. */
    static String pyFloat(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exponent = exact.precision() - exact.scale() - 1;
        if (exponent < -4 || exponent >= 16) {
            String digits = exact.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        }
        String plain = exact.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /**
     * A copy of a request body with every string stripped of surrounding blanks, as Barbican's
     * load_body does before it validates anything.
     */
    public static JsonNode stripped(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(node.textValue().strip());
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), stripped(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> copy.add(stripped(e)));
            return copy;
        }
        return node;
    }

    private static String pyString(String s) {
        boolean doubleQuotes = s.indexOf('\'') >= 0 && s.indexOf('"') < 0;
        char q = doubleQuotes ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(q);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == q) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
        }
        return sb.append(q).toString();
    }
}
