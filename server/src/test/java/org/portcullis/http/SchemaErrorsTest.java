package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaErrorsTest {
    private static String repr(String json) {
        return SchemaErrors.repr(Json.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void valuesArePrintedAsPythonReprPrintsThem() {
        assertThat(repr("null")).isEqualTo("None");
        assertThat(repr("true")).isEqualTo("True");
        assertThat(repr("\"it's\"")).isEqualTo("\"it's\"");
        assertThat(repr("\"a\\\\b\"")).isEqualTo("'a\\\\b'");
        assertThat(repr("{\"k\": [1, 2.0, \"v\", false]}")).isEqualTo("{'k': [1, 2.0, 'v', False]}");
        assertThat(repr("123456789012345678901234")).isEqualTo("123456789012345678901234");
    }

    @Test
    void floatsFollowPythonsRepr() {
        assertThat(SchemaErrors.pyFloat(1.5)).isEqualTo("1.5");
        assertThat(SchemaErrors.pyFloat(100.0)).isEqualTo("100.0");
        assertThat(SchemaErrors.pyFloat(12345678.5)).isEqualTo("12345678.5");
        assertThat(SchemaErrors.pyFloat(1e16)).isEqualTo("1e+16");
        assertThat(SchemaErrors.pyFloat(1e15)).isEqualTo("1000000000000000.0");
        assertThat(SchemaErrors.pyFloat(0.0001)).isEqualTo("0.0001");
        assertThat(SchemaErrors.pyFloat(0.00001)).isEqualTo("1e-05");
        assertThat(SchemaErrors.pyFloat(-2.5e-7)).isEqualTo("-2.5e-07");
        assertThat(SchemaErrors.pyFloat(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    }

    @Test
    void messagesHaveBarbicansEnvelope() {
        ApiException e = SchemaErrors.invalid("Thing", SchemaErrors.unexpected(List.of("a")), null);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.description()).isEqualTo("Provided object does not match schema 'Thing': Additional properties are "
                + "not allowed ('a' was unexpected). Invalid property: 'None'");
    }
}
