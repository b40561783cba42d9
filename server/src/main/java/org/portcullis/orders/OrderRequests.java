package org.portcullis.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.portcullis.http.ApiException;

/**
 * Validates {@code POST /v1/orders} as Barbican's order validator does: a type (key, asymmetric;
 * certificate orders are refused as upstream deprecated them) and a meta object describing the
 * secret to generate, with algorithm and a bit_length that is a multiple of 8.
 */
final class OrderRequests {
    private OrderRequests() {}

    /** A validated order request: its type and meta. */
    record NewOrder(String type, ObjectNode meta) {}

    static NewOrder parse(JsonNode body) {
        if (!body.isObject()) {
            throw invalid(null, "an order is a JSON object with 'type' and 'meta'");
        }
        JsonNode typeNode = body.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw invalid("type", "'type' is a required property");
        }
        String type = typeNode.textValue().strip().toLowerCase(Locale.ROOT);
        JsonNode meta = body.get("meta");
        if (meta == null || !meta.isObject()) {
            throw invalid("meta", "'meta' is a required object");
        }
        switch (type) {
            case "key", "asymmetric" -> validateMeta(type, (ObjectNode) meta);
            case "certificate" -> throw ApiException.badRequest("Certificate orders are not supported: Barbican "
                    + "deprecated them and Portcullis does not issue certificates. Store certificates as secrets "
                    + "of type certificate instead.");
            default -> throw invalid("type", "'" + typeNode.textValue() + "' is not one of ['key', 'asymmetric', "
                    + "'certificate']");
        }
        return new NewOrder(type, (ObjectNode) meta);
    }

    private static void validateMeta(String type, ObjectNode meta) {
        String kind = type.equals("key") ? "key" : "asymmetric key";
        if (meta.hasNonNull("payload")) {
            throw invalid("meta", "'payload' not allowed for " + type + " type order");
        }
        JsonNode algorithm = meta.get("algorithm");
        if (algorithm == null || !algorithm.isTextual() || algorithm.textValue().isBlank()) {
            throw invalid("meta", "'algorithm' is required field for " + kind + " type order");
        }
        JsonNode bits = meta.get("bit_length");
        if (bits == null || bits.isNull()) {
            throw invalid("meta", "'bit_length' is required field for " + kind + " type order");
        }
        if (!bits.isIntegralNumber() || !bits.canConvertToInt() || bits.intValue() <= 0 || bits.intValue() > 32767) {
            throw invalid("bit_length", "must be a positive integer");
        }
        if (bits.intValue() % 8 != 0) {
            throw invalid("bit_length", "Must be a positive integer that is a multiple of 8");
        }
        for (String field : new String[] {"name", "mode", "payload_content_type", "expiration", "passphrase"}) {
            JsonNode n = meta.get(field);
            if (n != null && !n.isNull() && !n.isTextual()) {
                throw invalid(field, "must be a string");
            }
        }
        JsonNode ct = meta.get("payload_content_type");
        if (ct != null && ct.isTextual() && !ct.textValue().strip().equalsIgnoreCase("application/octet-stream")) {
            throw invalid("payload_content_type", "generated keys are binary: use application/octet-stream");
        }
        if (type.equals("key") && meta.hasNonNull("passphrase")) {
            throw invalid("passphrase", "only asymmetric orders take a passphrase");
        }
    }

    static ApiException invalid(String property, String reason) {
        return ApiException.badRequest("Provided object does not match schema 'Order': " + reason
                + ". Invalid property: '" + property + "'");
    }
}
