package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class JsonTest {
    private static String refused(byte[] body) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> Json.parse(body));
        assertThat(e).as(new String(body, StandardCharsets.UTF_8)).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e.description();
    }

    private static String refused(String body) {
        return refused(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLoneSurrogateAnywhereIsRefused() {
        assertThat(refused("{\"name\":\"a\\ud800z\"}")).contains("lone UTF-16 surrogate (\\ud800)");
        assertThat(refused("{\"name\":\"z\\udc00\"}")).contains("\\udc00");
        assertThat(refused("{\"m\":{\"k\\ud800\":\"v\"}}")).contains("surrogate");
        assertThat(refused("[[\"ok\",\"\\ud83d\"]]")).contains("surrogate");
        assertThat(refused("{\"name\":\"\\ude00\\ud83d\"}")).contains("surrogate");
        // CESU-style UTF-8 bytes for a surrogate are not UTF-8 either
        byte[] raw = {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'};
        assertThat(Json.parse("\"ok\"".getBytes(StandardCharsets.UTF_8)).textValue()).isEqualTo("ok");
        assertThat(refused(raw)).startsWith("Malformed JSON");
    }

    @Test
    void aSurrogatePairIsOneCharacterAndAccepted() {
        assertThat(Json.parse("{\"name\":\"a\\ud83d\\ude00z\"}".getBytes(StandardCharsets.UTF_8)).get("name").textValue())
                .isEqualTo("a\uD83D\uDE00z");
        assertThat(Json.parse("\"\uD83D\uDE00\"".getBytes(StandardCharsets.UTF_8)).textValue()).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void errorsDoNotShowTheParsersInternals() {
        String deep = "[".repeat(40) + "]".repeat(40);
        assertThat(refused(deep)).isEqualTo("Malformed JSON: it is nested deeper than 32 levels.");
        assertThat(refused("{} {}")).isEqualTo("Malformed JSON: there is more after the JSON value.");
        for (String body : new String[] {deep, "{} {}", "{\"a\":1", "{\"a\":1,\"a\":2}", "{bad", "[1,]", "\"abc"}) {
            assertThat(refused(body)).as(body).startsWith("Malformed JSON").doesNotContain("`")
                    .doesNotContainIgnoringCase("jackson").doesNotContain("StreamReadConstraints")
                    .doesNotContain("Source").doesNotContain("\n");
        }
    }
}
