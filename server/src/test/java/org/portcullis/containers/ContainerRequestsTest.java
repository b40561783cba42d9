package org.portcullis.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portcullis.testing.ApiErrors.assertApiError;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.portcullis.http.ApiException;
import org.portcullis.http.Json;

class ContainerRequestsTest {
    private static final String BASE = "http://kms.example:9311";
    private static final String S1 = "11111111-1111-4111-8111-111111111111";
    private static final String S2 = "22222222-2222-4222-8222-222222222222";
    private static final String S3 = "33333333-3333-4333-8333-333333333333";
    private static final String S4 = "44444444-4444-4444-8444-444444444444";

    private static JsonNode json(String text) {
        return Json.parse(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static String ref(String id) {
        return BASE + "/v1/secrets/" + id;
    }

    private static NewContainer parse(String body) {
        return ContainerRequests.newContainer(json(body), BASE);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertBad(String body) {
        return assertApiError(() -> parse(body), 400);
    }

    /** A body with the given type and "name=secretId" refs. */
    private static String body(String type, String... refs) {
        StringBuilder sb = new StringBuilder("{'type': '" + type + "', 'secret_refs': [");
        for (int i = 0; i < refs.length; i++) {
            String[] kv = refs[i].split("=", 2);
            sb.append(i == 0 ? "" : ", ").append("{'name': '").append(kv[0]).append("', 'secret_ref': '")
                    .append(ref(kv[1])).append("'}");
        }
        return sb.append("]}").toString();
    }

    // ---- accepted -------------------------------------------------------------------------------

    @Test
    void genericContainerKeepsNamesAndOrder() {
        NewContainer c = parse("{'name': ' web cert ', 'type': 'generic', 'secret_refs': [{'name': 'b', 'secret_ref': '"
                + ref(S2) + "'}, {'name': 'a', 'secret_ref': ' " + ref(S1) + " '}]}");
        assertThat(c.name()).isEqualTo("web cert");
        assertThat(c.type()).isEqualTo(ContainerType.GENERIC);
        assertThat(c.secrets()).containsExactly(new ContainerSecret("b", S2), new ContainerSecret("a", S1));
    }

    @Test
    void minimalContainers() {
        NewContainer c = parse("{'type': 'generic'}");
        assertThat(c.name()).isNull();
        assertThat(c.secrets()).isEmpty();
        assertThat(parse("{'type': 'generic', 'name': null, 'secret_refs': [], 'extra': 1}").secrets()).isEmpty();
    }

    @Test
    void unnamedAndNullNamedRefsAreDifferentNames() {
        NewContainer c = parse("{'type': 'generic', 'secret_refs': [{'secret_ref': '" + ref(S1) + "'}, "
                + "{'name': null, 'secret_ref': '" + ref(S2) + "'}]}");
        assertThat(c.secrets()).containsExactly(new ContainerSecret(null, S1), new ContainerSecret(null, S2));
    }

    @Test
    void rsaWithAndWithoutPassphrase() {
        assertThat(parse(body("rsa", "public_key=" + S1, "private_key=" + S2)).type()).isEqualTo(ContainerType.RSA);
        assertThat(parse(body("rsa", "private_key_passphrase=" + S3, "public_key=" + S1, "private_key=" + S2))
                .secrets()).hasSize(3);
    }

    @Test
    void certificateWithAnyOptionalNames() {
        assertThat(parse(body("certificate", "certificate=" + S1)).secrets()).hasSize(1);
        assertThat(parse(body("certificate", "certificate=" + S1, "private_key=" + S2, "private_key_passphrase=" + S3,
                "intermediates=" + S4)).secrets()).hasSize(4);
    }

    @Test
    void typedContainerWithoutSecretsIsAcceptedAsInBarbican() {
        assertThat(parse("{'type': 'rsa'}").type()).isEqualTo(ContainerType.RSA);
        assertThat(parse("{'type': 'certificate', 'secret_refs': []}").secrets()).isEmpty();
    }

    @Test
    void secretIdIsTheLastPathSegment() {
        assertThat(ContainerRequests.secretIdOf(ref(S1))).isEqualTo(S1);
        assertThat(ContainerRequests.secretIdOf(ref(S1) + "/")).isEqualTo(S1);
        assertThat(ContainerRequests.secretIdOf(S1)).isEqualTo(S1);
        assertThat(parse("{'type': 'generic', 'secret_refs': [{'name': 'x', 'secret_ref': '" + BASE
                + "/v1/secrets/not-a-uuid'}]}").secrets().get(0).secretId()).isEqualTo("not-a-uuid");
    }

    // ---- refused --------------------------------------------------------------------------------

    @Test
    void shapeErrorsAreWordedAsBarbicanWordsThem() {
        assertBad("[1]").hasMessage("Provided object does not match schema 'Container': [1] is not of type 'object'. "
                + "Invalid property: 'None'");
        assertBad("{}").hasMessage("Provided object does not match schema 'Container': 'type' is a required property. "
                + "Invalid property: 'None'");
        assertBad("{'type': 'dsa'}").hasMessage("Provided object does not match schema 'Container': 'dsa' is not one "
                + "of ['generic', 'rsa', 'certificate']. Invalid property: 'type'");
        assertBad("{'type': ' rsa', 'name': 7}").hasMessage("Provided object does not match schema 'Container': 7 is "
                + "not of type 'string', 'null'. Invalid property: 'name'");
        // The shallowest broken rule is the one reported.
        assertBad("{'name': 7, 'secret_refs': [{}]}").hasMessageContaining("'type' is a required property");
        assertBad("{'type': 'generic', 'secret_refs': [{'secret_ref': ''}, 5]}")
                .hasMessage("Provided object does not match schema 'Container': 5 is not of type 'object'. "
                        + "Invalid property: 'secret_refs'");
        assertBad("{'type': 'generic', 'secret_refs': [{'name': 'a', 'secret_ref': '   '}]}")
                .hasMessage("Provided object does not match schema 'Container': '' is too short. "
                        + "Invalid property: 'secret_refs'");
        assertBad("{'type': 'secret'}");
        assertBad("{'type': 5}");
        assertBad("{'type': null}");
        assertBad("{'type': 'generic', 'name': 7}").hasMessageContaining("'name'");
        assertBad("{'type': 'generic', 'name': '" + "n".repeat(256) + "'}");
        assertBad("{'type': 'generic', 'secret_refs': null}").hasMessageContaining("'secret_refs'");
        assertBad("{'type': 'generic', 'secret_refs': {}}");
        assertBad("{'type': 'generic', 'secret_refs': ['x']}");
        assertBad("{'type': 'generic', 'secret_refs': [{'name': 'a'}]}");
        assertBad("{'type': 'generic', 'secret_refs': [{'name': 'a', 'secret_ref': '  '}]}");
        assertBad("{'type': 'generic', 'secret_refs': [{'name': 'a', 'secret_ref': 3}]}");
        assertBad("{'type': 'generic', 'secret_refs': [{'name': 4, 'secret_ref': '" + ref(S1) + "'}]}");
    }

    @Test
    void theSameSecretTwiceIsRefused() {
        assertBad(body("generic", "x=" + S1, "y=" + S1)).hasMessage("Provided object does not match schema "
                + "'Container': Duplicate secret ids are not allowed. Invalid property: 'secret_refs'");
        // The id is what counts, however the ref is written.
        assertBad("{'type': 'generic', 'secret_refs': [{'name': 'x', 'secret_ref': '" + ref(S1) + "'}, "
                + "{'name': 'y', 'secret_ref': '" + ref(S1) + "/'}]}");
    }

    @Test
    void duplicateReferenceNamesAreRefused() {
        assertBad(body("generic", "x=" + S1, "x=" + S2)).hasMessageContaining("Duplicate reference names");
        assertBad("{'type': 'generic', 'secret_refs': [{'secret_ref': '" + ref(S1) + "'}, {'secret_ref': '"
                + ref(S2) + "'}]}");
        assertBad("{'type': 'generic', 'secret_refs': [{'secret_ref': '" + ref(S1) + "'}, {'name': '', 'secret_ref': '"
                + ref(S2) + "'}]}");
    }

    @Test
    void refsToAnotherServerAreRefused() {
        assertBad("{'type': 'generic', 'secret_refs': [{'name': 'a', 'secret_ref': 'http://evil.example/v1/secrets/"
                + S1 + "'}]}").hasMessage("Provided field value is not supported");
        assertBad("{'type': 'generic', 'secret_refs': [{'name': 'a', 'secret_ref': '" + S1 + "'}]}");
    }

    @Test
    void rsaNames() {
        assertBad(body("rsa", "public_key=" + S1)).hasMessageContaining("minimum required reference names");
        assertBad(body("rsa", "private_key=" + S2)).hasMessageContaining("minimum required reference names");
        assertBad(body("rsa", "public_key=" + S1, "private_key=" + S2, "certificate=" + S3))
                .hasMessage("Provided object does not match schema 'Container': only 'private_key', 'public_key' and "
                        + "'private_key_passphrase' reference names are allowed for RSA type. "
                        + "Invalid property: 'secret_refs'");
        assertBad(body("rsa", "Public_Key=" + S1, "private_key=" + S2)).hasMessageContaining("are allowed");
        assertBad("{'type': 'rsa', 'secret_refs': [{'secret_ref': '" + ref(S1) + "'}, {'name': 'private_key', "
                + "'secret_ref': '" + ref(S2) + "'}]}").hasMessageContaining("are allowed");
    }

    @Test
    void certificateNames() {
        assertBad(body("certificate", "private_key=" + S2)).hasMessageContaining(
                "The minimum required reference name is 'certificate' for Certificate type");
        assertBad(body("certificate", "certificate=" + S1, "public_key=" + S2)).hasMessageContaining("are allowed");
        assertBad(body("certificate", "bogus=" + S1));
    }

    @Test
    void namesOfGeneratedContainersFollowTheSameRules() {
        assertThatCode(() -> ContainerRequests.checkNames(ContainerType.DSA, List.of("public_key", "private_key")))
                .doesNotThrowAnyException();
        assertThatCode(() -> ContainerRequests.checkNames(ContainerType.GENERIC, List.of("anything")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ContainerRequests.checkNames(ContainerType.RSA, List.of("public_key")))
                .isInstanceOf(ApiException.class);
    }

    // ---- consumers and container secrets ----------------------------------------------------------

    @Test
    void consumers() {
        assertThat(ContainerRequests.consumer(json("{'name': ' lbaas ', 'URL': 'http://lb/1', 'x': 1}")))
                .isEqualTo(new ConsumerRef("lbaas", "http://lb/1"));
        for (String bad : new String[] {"{}", "{'name': 'a'}", "{'URL': 'u'}", "{'name': '', 'URL': 'u'}",
            "{'name': 'a', 'URL': '  '}", "{'name': 1, 'URL': 'u'}", "{'name': 'a', 'URL': null}",
            "{'name': '" + "n".repeat(37) + "', 'URL': 'u'}", "{'name': 'a', 'URL': '" + "u".repeat(256) + "'}", "[]"}) {
            assertApiError(() -> ContainerRequests.consumer(json(bad)), 400).as(bad);
        }
        assertThat(ContainerRequests.consumer(json("{'name': '" + "n".repeat(36) + "', 'URL': 'u'}")).name())
                .hasSize(36);
        assertThatThrownBy(() -> ContainerRequests.consumer(json("{'URL': ''}"))).hasMessage("Provided object does "
                + "not match schema 'Consumer': 'name' is a required property. Invalid property: 'None'");
        assertThatThrownBy(() -> ContainerRequests.consumer(json("{'name': ' ', 'URL': 'u'}"))).hasMessage("Provided "
                + "object does not match schema 'Consumer': '' is too short. Invalid property: 'name'");
    }

    @Test
    void containerSecretBodies() {
        SecretRefRequest r = ContainerRequests.secretRef(json("{'name': 'extra', 'secret_ref': '" + ref(S1) + "'}"));
        assertThat(r).isEqualTo(new SecretRefRequest("extra", ref(S1), S1));
        assertThat(ContainerRequests.secretRef(json("{'secret_ref': '" + ref(S1) + "'}")).name()).isNull();
        assertThat(ContainerRequests.secretRef(json("{'secret_ref': 'no-slash'}")).secretId()).isEmpty();
        for (String bad : new String[] {"{}", "{'secret_ref': ''}", "{'name': null, 'secret_ref': 'x/y'}",
            "{'name': 'a', 'secret_ref': 5}", "'text'"}) {
            assertThatThrownBy(() -> ContainerRequests.secretRef(json(bad))).as(bad).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void listFilter() {
        ContainerFilter f = ContainerRequests.filter(Map.of("name", "web", "type", "rsa", "limit", "5", "offset", "10"));
        assertThat(f.name()).isEqualTo("web");
        assertThat(f.type()).isEqualTo("rsa");
        assertThat(f.paging().limit()).isEqualTo(5);
        assertThat(f.paging().offset()).isEqualTo(10);
        ContainerFilter none = ContainerRequests.filter(Map.of("name", " "));
        assertThat(none.name()).isNull();
        assertThat(none.type()).isNull();
    }
}
