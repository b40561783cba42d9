package org.portcullis.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.testing.ApiErrors.assertApiError;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.portcullis.http.Json;

class TransportKeyRequestsTest {
    private static final String PREFIX = "Provided object does not match schema 'Transport Key': ";

    private static NewTransportKey parse(String body) {
        return TransportKeyRequests.newTransportKey(Json.parse(body.replace('\'', '"').getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertRejected(String body, String description) {
        assertApiError(() -> parse(body), 400).hasMessage(description);
    }

    @Test
    void valuesAreStrippedAndOtherKeysIgnored() {
        assertThat(parse("{'plugin_name':' dogtag ','transport_key':'\\n-----BEGIN CERTIFICATE-----\\n','extra':1}"))
                .isEqualTo(new NewTransportKey("dogtag", "-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void bothFieldsAreRequired() {
        assertRejected("{'transport_key':'k'}", PREFIX + "plugin_name must be provided. Invalid property: 'plugin_name'");
        assertRejected("{'plugin_name':'   ','transport_key':'k'}",
                PREFIX + "plugin_name must be provided. Invalid property: 'plugin_name'");
        assertRejected("{'plugin_name':'p'}", PREFIX + "transport_key must be provided. Invalid property: 'transport_key'");
        assertRejected("{'plugin_name':'p','transport_key':''}",
                PREFIX + "transport_key must be provided. Invalid property: 'transport_key'");
    }

    @Test
    void typesAreChecked() {
        assertRejected("'key'", PREFIX + "'key' is not of type 'object'. Invalid property: 'None'");
        assertRejected("{'plugin_name':5,'transport_key':'k'}",
                PREFIX + "5 is not of type 'string'. Invalid property: 'plugin_name'");
        assertRejected("{'plugin_name':'p','transport_key':{'a':[1,null]}}",
                PREFIX + "{'a': [1, None]} is not of type 'string'. Invalid property: 'transport_key'");
        assertRejected("{'plugin_name':null,'transport_key':'k'}",
                PREFIX + "None is not of type 'string'. Invalid property: 'plugin_name'");
    }

    @Test
    void pluginNameMustFitItsColumn() {
        assertThat(parse("{'plugin_name':'" + "p".repeat(255) + "','transport_key':'k'}").pluginName()).hasSize(255);
        assertRejected("{'plugin_name':'" + "p".repeat(256) + "','transport_key':'k'}",
                PREFIX + "plugin_name is longer than 255 characters. Invalid property: 'plugin_name'");
    }
}
