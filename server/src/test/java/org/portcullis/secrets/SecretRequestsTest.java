package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portcullis.testing.ApiErrors.assertApiError;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.portcullis.http.Json;

/**
 * Request bodies read into what the secrets service takes: a new secret (accepted and refused
 * bodies) and metadata. The list query's parameters: {@link SecretFilterTest}.
 */
class SecretRequestsTest {
    private static final long MAX = 20_000;

    private static JsonNode json(String text) {
        return Json.parse(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static NewSecret newSecret(String body) {
        return SecretRequests.newSecret(json(body), MAX);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertStatus(Runnable call, int status) {
        return assertApiError(call::run, status);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertBadSecret(String body) {
        return assertStatus(() -> newSecret(body), 400);
    }

    // ---- newSecret: accepted bodies ---------------------------------------------------------

    @Test
    void metadataOnlySecret() {
        NewSecret s = newSecret("{}");
        assertThat(s.payload()).isNull();
        assertThat(s.contentType()).isNull();
        assertThat(s.secretType()).isEqualTo(SecretType.OPAQUE);
        assertThat(s.name()).isNull();
        assertThat(s.bitLength()).isNull();
        assertThat(s.expiration()).isNull();
    }

    @Test
    void fullTextSecret() {
        NewSecret s = newSecret("""
                {'name': 'db password', 'payload': 'hunter2', 'payload_content_type': 'text/plain; charset=UTF-8',
                 'secret_type': 'passphrase', 'algorithm': 'aes', 'bit_length': 256, 'mode': 'cbc',
                 'expiration': '2030-01-31T12:00:00Z'}""");
        assertThat(s.name()).isEqualTo("db password");
        assertThat(s.payload()).isEqualTo("hunter2".getBytes(StandardCharsets.UTF_8));
        assertThat(s.contentType()).isEqualTo("text/plain");
        assertThat(s.secretType()).isEqualTo(SecretType.PASSPHRASE);
        assertThat(s.algorithm()).isEqualTo("aes");
        assertThat(s.bitLength()).isEqualTo(256);
        assertThat(s.mode()).isEqualTo("cbc");
        assertThat(s.expiration()).isEqualTo(Instant.parse("2030-01-31T12:00:00Z").toEpochMilli());
    }

    @Test
    void base64BinarySecretIsDecoded() {
        NewSecret s = newSecret("""
                {'payload': 'AAEC/w==', 'payload_content_type': 'application/octet-stream',
                 'payload_content_encoding': 'base64', 'secret_type': 'symmetric'}""");
        assertThat(s.payload()).containsExactly(0, 1, 2, 0xff);
        assertThat(s.contentType()).isEqualTo("application/octet-stream");
        assertThat(s.secretType()).isEqualTo(SecretType.SYMMETRIC);
    }

    @Test
    void textPayloadIsStripped() {
        assertThat(newSecret("{'payload': '  padded\\n', 'payload_content_type': 'text/plain'}").payload())
                .isEqualTo("padded".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unknownFieldsAreIgnored() {
        NewSecret s = newSecret("{'name': 'x', 'colour': 'blue', 'nested': {'a': [1, 2]}}");
        assertThat(s.name()).isEqualTo("x");
    }

    @Test
    void nullFieldsAreAbsentFields() {
        NewSecret s = newSecret("{'name': null, 'payload': null, 'payload_content_type': null, 'bit_length': null,"
                + " 'expiration': null, 'secret_type': null}");
        assertThat(s.payload()).isNull();
        assertThat(s.secretType()).isEqualTo(SecretType.OPAQUE);
    }

    @Test
    void emptyExpirationMeansNone() {
        assertThat(newSecret("{'expiration': ''}").expiration()).isNull();
    }

    @Test
    void eachSecretTypeIsAccepted() {
        for (SecretType t : SecretType.values()) {
            assertThat(newSecret("{'secret_type': '" + t.apiName() + "'}").secretType()).isEqualTo(t);
        }
    }

    @Test
    void integralFloatBitLengthIsAccepted() {
        assertThat(newSecret("{'bit_length': 256.0}").bitLength()).isEqualTo(256);
    }

    @Test
    void nameOfExactly255CharactersIsAccepted() {
        String name = "n".repeat(255);
        assertThat(newSecret("{'name': '" + name + "'}").name()).isEqualTo(name);
    }

    @Test
    void payloadOfExactlyTheMaximumIsAccepted() {
        String text = "x".repeat((int) MAX);
        assertThat(newSecret("{'payload': '" + text + "', 'payload_content_type': 'text/plain'}").payload())
                .hasSize((int) MAX);
    }

    // ---- newSecret: refused bodies ----------------------------------------------------------

    @Test
    void bodyMustBeAnObject() {
        assertBadSecret("[]");
        assertBadSecret("'just a string'");
    }

    @Test
    void payloadWithoutContentTypeIs400() {
        assertBadSecret("{'payload': 'hunter2'}").hasMessageContaining("payload_content_type");
    }

    @Test
    void contentTypeWithoutPayloadIs400() {
        assertBadSecret("{'payload_content_type': 'text/plain'}").hasMessageContaining("payload");
    }

    @Test
    void unsupportedContentTypeIs400() {
        assertBadSecret("{'payload': 'x', 'payload_content_type': 'application/json'}")
                .hasMessageContaining("payload_content_type");
        assertBadSecret("{'payload': 'x', 'payload_content_type': 'text/plain; charset=latin1'}")
                .hasMessageContaining("payload_content_type");
    }

    @Test
    void textPlainWithBase64EncodingIs400() {
        assertBadSecret("{'payload': 'aGk=', 'payload_content_type': 'text/plain', 'payload_content_encoding': 'base64'}")
                .hasMessageContaining("payload_content_encoding");
    }

    @Test
    void octetStreamWithoutEncodingIs400() {
        assertBadSecret("{'payload': 'aGk=', 'payload_content_type': 'application/octet-stream'}")
                .hasMessageContaining("payload_content_encoding");
        assertBadSecret("{'payload': 'aGk=', 'payload_content_type': 'application/pkcs8', 'payload_content_encoding': 'hex'}")
                .hasMessageContaining("payload_content_encoding");
    }

    @Test
    void invalidBase64Is400NotAnEmptySecret() {
        assertBadSecret("""
                {'payload': 'this is not base64!', 'payload_content_type': 'application/octet-stream',
                 'payload_content_encoding': 'base64'}""")
                .hasMessageContaining("base64");
    }

    @Test
    void emptyOrWhitespacePayloadIs400() {
        assertBadSecret("{'payload': '', 'payload_content_type': 'text/plain'}").hasMessageContaining("non empty");
        assertBadSecret("{'payload': ' \\n\\t ', 'payload_content_type': 'text/plain'}").hasMessageContaining("non empty");
        assertBadSecret("{'payload': '  ', 'payload_content_type': 'application/octet-stream',"
                + " 'payload_content_encoding': 'base64'}");
    }

    @Test
    void nonStringPayloadIs400() {
        assertBadSecret("{'payload': 42, 'payload_content_type': 'text/plain'}").hasMessageContaining("'payload'");
        assertBadSecret("{'payload': {'a': 'b'}, 'payload_content_type': 'text/plain'}");
    }

    @Test
    void unknownSecretTypeIs400() {
        assertBadSecret("{'secret_type': 'password'}").hasMessageContaining("secret_type");
        assertBadSecret("{'secret_type': 'SYMMETRIC'}").hasMessageContaining("secret_type");
        assertBadSecret("{'secret_type': 7}").hasMessageContaining("secret_type");
    }

    @Test
    void bitLengthMustBeAnIntegerInRange() {
        assertBadSecret("{'bit_length': '256'}").hasMessageContaining("bit_length");
        assertBadSecret("{'bit_length': 256.5}").hasMessageContaining("bit_length");
        assertBadSecret("{'bit_length': true}").hasMessageContaining("bit_length");
        assertBadSecret("{'bit_length': 0}").hasMessageContaining("bit_length");
        assertBadSecret("{'bit_length': -8}").hasMessageContaining("bit_length");
        assertBadSecret("{'bit_length': 32768}").hasMessageContaining("bit_length");
        assertBadSecret("{'bit_length': 1e300}").hasMessageContaining("bit_length");
        assertThat(newSecret("{'bit_length': 32767}").bitLength()).isEqualTo(32767);
        assertThat(newSecret("{'bit_length': 1}").bitLength()).isEqualTo(1);
    }

    @Test
    void hugeBitLengthIs400() {
        assertBadSecret("{'bit_length': 18446744073709551872}").hasMessageContaining("bit_length");
    }

    @Test
    void textFieldsLongerThan255AreRefused() {
        String long256 = "n".repeat(256);
        assertBadSecret("{'name': '" + long256 + "'}").hasMessageContaining("'name'");
        assertBadSecret("{'algorithm': '" + long256 + "'}").hasMessageContaining("'algorithm'");
        assertBadSecret("{'mode': '" + long256 + "'}").hasMessageContaining("'mode'");
    }

    @Test
    void nonStringNameIs400() {
        assertBadSecret("{'name': 12}").hasMessageContaining("'name'");
    }

    @Test
    void textPayloadOverTheMaximumIs413() {
        String text = "x".repeat((int) MAX + 1);
        assertStatus(() -> newSecret("{'payload': '" + text + "', 'payload_content_type': 'text/plain'}"), 413)
                .hasMessageContaining(String.valueOf(MAX));
    }

    @Test
    void multiByteTextIsMeasuredInBytes() {
        String text = "é".repeat((int) MAX / 2 + 1); // MAX + 2 bytes in UTF-8
        assertStatus(() -> newSecret("{'payload': '" + text + "', 'payload_content_type': 'text/plain'}"), 413);
    }

    @Test
    void decodedBinaryPayloadOverTheMaximumIs413() {
        String b64 = java.util.Base64.getEncoder().encodeToString(new byte[(int) MAX + 1]);
        assertStatus(() -> newSecret("{'payload': '" + b64 + "', 'payload_content_type': 'application/octet-stream',"
                + " 'payload_content_encoding': 'base64'}"), 413);
        String ok = java.util.Base64.getEncoder().encodeToString(new byte[(int) MAX]);
        assertThat(newSecret("{'payload': '" + ok + "', 'payload_content_type': 'application/octet-stream',"
                + " 'payload_content_encoding': 'base64'}").payload()).hasSize((int) MAX);
    }

    @Test
    void hugeBase64TextIs413BeforeDecoding() {
        String junk = "!".repeat((int) MAX * 2);
        assertStatus(() -> newSecret("{'payload': '" + junk + "', 'payload_content_type': 'application/octet-stream',"
                + " 'payload_content_encoding': 'base64'}"), 413);
    }

    @Test
    void unparsableExpirationIs400() {
        assertBadSecret("{'expiration': 'next tuesday'}").hasMessageContaining("expiration");
        assertBadSecret("{'expiration': '2030-02-30T00:00:00'}").hasMessageContaining("expiration");
    }

    @Test
    void transportKeyNeededIsTrueOrFalse() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(SecretRequests.transport(mapper.readTree("{\"transport_key_needed\": \"true\"}")).keyNeeded()).isTrue();
        assertThat(SecretRequests.transport(mapper.readTree("{\"transport_key_needed\": \"False\"}")).keyNeeded()).isFalse();
        assertThat(SecretRequests.transport(mapper.readTree("{\"transport_key_id\": \"k\"}")).keyId()).isEqualTo("k");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SecretRequests.transport(
                        mapper.readTree("{\"transport_key_needed\": \"perhaps\"}")))
                .hasMessageContaining("transport_key_needed");
    }

    // ---- metadata ----------------------------------------------------------------------------

    @Test
    void metadataKeysAreLowerCased() {
        Map<String, String> m = SecretRequests.metadata(json("{'metadata': {'Colour': 'Blue', 'size_2-x': ''}}"));
        assertThat(m).containsExactly(Map.entry("colour", "Blue"), Map.entry("size_2-x", ""));
    }

    @Test
    void emptyMetadataIsAllowed() {
        assertThat(SecretRequests.metadata(json("{'metadata': {}}"))).isEmpty();
    }

    @Test
    void nonStringMetadataValueIs400WithBarbicansMessage() {
        for (String value : List.of("1", "true", "null", "['a']", "{'a': 'b'}")) {
            assertStatus(() -> SecretRequests.metadata(json("{'metadata': {'k': " + value + "}}")), 400)
                    .hasMessage("Invalid Metadata. Keys and Values must be Strings.");
        }
    }

    @Test
    void urlUnsafeMetadataKeyIs400() {
        assertStatus(() -> SecretRequests.metadata(json("{'metadata': {'a/b': 'v'}}")), 400)
                .hasMessage("Invalid Key. Key must be URL safe.");
        assertStatus(() -> SecretRequests.metadata(json("{'metadata': {'a b': 'v'}}")), 400);
        assertStatus(() -> SecretRequests.metadata(json("{'metadata': {'a?b': 'v'}}")), 400);
    }

    @Test
    void metadataPropertyIsRequiredAndMustBeAnObject() {
        assertStatus(() -> SecretRequests.metadata(json("{}")), 400).hasMessageContaining("metadata");
        assertStatus(() -> SecretRequests.metadata(json("{'metadata': ['a']}")), 400).hasMessageContaining("metadata");
        assertStatus(() -> SecretRequests.metadata(json("[]")), 400);
    }

    @Test
    void metadataValuesAndKeysLongerThan255AreRefused() {
        String v = "v".repeat(256);
        assertStatus(() -> SecretRequests.metadata(json("{'metadata': {'k': '" + v + "'}}")), 400)
                .hasMessageContaining("'value'");
        assertStatus(() -> SecretRequests.metadata(json("{'metadata': {'" + v + "': 'x'}}")), 400)
                .hasMessageContaining("'key'");
    }

    @Test
    void metadatum() {
        Map.Entry<String, String> e = SecretRequests.metadatum(json("{'key': 'Colour', 'value': 'blue'}"));
        assertThat(e).isEqualTo(Map.entry("colour", "blue"));
    }

    @Test
    void metadatumWithExtraPropertyIs400() {
        assertStatus(() -> SecretRequests.metadatum(json("{'key': 'k', 'value': 'v', 'extra': 'x'}")), 400)
                .hasMessageContaining("'extra'")
                .hasMessageContaining("additional properties");
    }

    @Test
    void metadatumNeedsStringKeyAndValue() {
        assertStatus(() -> SecretRequests.metadatum(json("{'value': 'v'}")), 400).hasMessageContaining("'key'");
        assertStatus(() -> SecretRequests.metadatum(json("{'key': 'k'}")), 400).hasMessageContaining("'value'");
        assertStatus(() -> SecretRequests.metadatum(json("{'key': 'k', 'value': 3}")), 400).hasMessageContaining("'value'");
        assertStatus(() -> SecretRequests.metadatum(json("{'key': 'a/b', 'value': 'v'}")), 400)
                .hasMessage("Invalid Key. Key must be URL safe.");
        assertStatus(() -> SecretRequests.metadatum(json("'kv'")), 400);
    }
}
