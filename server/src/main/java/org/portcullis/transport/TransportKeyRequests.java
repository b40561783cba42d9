package org.portcullis.transport;

import com.fasterxml.jackson.databind.JsonNode;
import org.portcullis.http.SchemaErrors;

/**
 * The body of {@code POST /v1/transport_keys}, checked as Barbican's NewTransportKeyValidator:
 * an object whose {@code plugin_name} and {@code transport_key} are non-empty strings once
 * stripped; other keys are ignored. Beyond Barbican, plugin_name must fit its 255 characters
 * (Barbican's column is VARCHAR(255) and a longer name ends in a 500 there).
 */
final class TransportKeyRequests {
    static final String SCHEMA = "Transport Key";
    static final int MAX_PLUGIN_NAME = 255;

    private TransportKeyRequests() {}

    static NewTransportKey newTransportKey(JsonNode raw) {
        JsonNode body = SchemaErrors.stripped(raw);
        if (!body.isObject()) {
            throw SchemaErrors.invalid(SCHEMA, SchemaErrors.notOfType(body, "object"), null);
        }
        for (String field : new String[] {"plugin_name", "transport_key"}) {
            JsonNode v = body.get(field);
            if (v != null && !v.isTextual()) {
                throw SchemaErrors.invalid(SCHEMA, SchemaErrors.notOfType(v, "string"), field);
            }
        }
        String pluginName = required(body, "plugin_name");
        if (pluginName.length() > MAX_PLUGIN_NAME) {
            throw SchemaErrors.invalid(SCHEMA, "plugin_name is longer than " + MAX_PLUGIN_NAME + " characters",
                    "plugin_name");
        }
        return new NewTransportKey(pluginName, required(body, "transport_key"));
    }

    private static String required(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.textValue().isEmpty()) {
            throw SchemaErrors.invalid(SCHEMA, field + " must be provided", field);
        }
        return v.textValue();
    }
}
