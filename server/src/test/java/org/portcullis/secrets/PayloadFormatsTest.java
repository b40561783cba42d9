package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.portcullis.http.ApiException;

class PayloadFormatsTest {

    @Test
    void textPlainSpellings() {
        assertThat(PayloadFormats.normalize("text/plain")).isEqualTo("text/plain");
        assertThat(PayloadFormats.normalize("TEXT/PLAIN")).isEqualTo("text/plain");
        assertThat(PayloadFormats.normalize("text/plain;charset=utf-8")).isEqualTo("text/plain");
        assertThat(PayloadFormats.normalize("text/plain; charset=UTF-8")).isEqualTo("text/plain");
        assertThat(PayloadFormats.normalize(" text/plain ; Charset = utf-8 ")).isEqualTo("text/plain");
    }

    @Test
    void binaryTypes() {
        assertThat(PayloadFormats.normalize("application/octet-stream")).isEqualTo("application/octet-stream");
        assertThat(PayloadFormats.normalize("Application/Octet-Stream")).isEqualTo("application/octet-stream");
        assertThat(PayloadFormats.normalize("application/pkcs8")).isEqualTo("application/pkcs8");
    }

    @Test
    void otherCharsetsAndParametersAreRejected() {
        assertThat(PayloadFormats.normalize("text/plain; charset=latin1")).isNull();
        assertThat(PayloadFormats.normalize("text/plain; charset=ISO-8859-1")).isNull();
        assertThat(PayloadFormats.normalize("text/plain; format=flowed")).isNull();
        assertThat(PayloadFormats.normalize("text/plain; charset")).isNull();
        assertThat(PayloadFormats.normalize("text/plain; charset=utf-8; x=y")).isNull();
    }

    @Test
    void unsupportedTypesAreRejected() {
        assertThat(PayloadFormats.normalize(null)).isNull();
        assertThat(PayloadFormats.normalize("")).isNull();
        assertThat(PayloadFormats.normalize("application/json")).isNull();
        assertThat(PayloadFormats.normalize("text/html")).isNull();
        assertThat(PayloadFormats.normalize("application/x-pem-file")).isNull();
    }

    @Test
    void isTextOnlyForTextPlain() {
        assertThat(PayloadFormats.isText("text/plain")).isTrue();
        assertThat(PayloadFormats.isText("application/octet-stream")).isFalse();
        assertThat(PayloadFormats.isText(null)).isFalse();
    }

    @Test
    void decodeBase64AllowsWhitespace() {
        byte[] expected = "a secret value!".getBytes(StandardCharsets.US_ASCII);
        assertThat(PayloadFormats.decodeBase64("YSBzZWNyZXQgdmFsdWUh", "payload")).isEqualTo(expected);
        assertThat(PayloadFormats.decodeBase64("YSBzZWNy\nZXQgdmFs\r\n dWUh\t", "payload")).isEqualTo(expected);
    }

    @Test
    void decodeBase64RefusesInvalidTextWith400NamingTheProperty() {
        for (String bad : new String[] {"not base64!", "YSBz*WNy", "YSBzZWNyZXQgdmFsdWUh-_", "A"}) {
            assertThatThrownBy(() -> PayloadFormats.decodeBase64(bad, "payload"))
                    .as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.description()).contains("'payload'").contains("base64");
                    });
        }
    }

    @Test
    void utf8OrNull() {
        assertThat(PayloadFormats.utf8OrNull("héllo ✓".getBytes(StandardCharsets.UTF_8))).isEqualTo("héllo ✓");
        assertThat(PayloadFormats.utf8OrNull(new byte[0])).isEmpty();
        assertThat(PayloadFormats.utf8OrNull(new byte[] {(byte) 0xff, 0x41})).isNull();
        assertThat(PayloadFormats.utf8OrNull(new byte[] {(byte) 0xc3})).as("truncated sequence").isNull();
        assertThat(PayloadFormats.utf8OrNull("é".getBytes(StandardCharsets.ISO_8859_1))).isNull();
    }
}
