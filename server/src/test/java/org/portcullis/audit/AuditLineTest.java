package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.portcullis.http.Json;

/** The hand-written line: valid JSON that says exactly what the event says, whatever its strings hold. */
class AuditLineTest {
    private static final AuditKey KEY = AuditKey.of(new byte[32], "test key");
    private static final String AWKWARD = "q\"b\\s/n\nr\rt\tb\bf\fc\u0001e\u00e9x\ud83d\udd11lone\ud800end";

    @Test
    void everyMemberIsWrittenAndEveryStringReadsBackAsItWas() throws Exception {
        AuditEvent e = new AuditEvent("id-1", Instant.parse("2026-12-06T10:15:30.123456Z"), AuditAction.READ,
                "failure", 403, new AuditEvent.Initiator("service/security/account/user", AWKWARD, "p1",
                        List.of("admin", "reader"), "all", "127.0.0.1", AWKWARD),
                "data/security/keymanager/secret", AWKWARD, "meta-key", "GET", "/v1/secrets/x/payload", "req-1",
                Map.of("count", 3, "names", List.of("a", AWKWARD)));
        String line = sealed(e, "portcullis@" + AWKWARD, 42, new byte[32], "00ff");
        JsonNode n = Json.MAPPER.readTree(line);
        String readable = AWKWARD.replace('\ud800', '?'); // a lone surrogate cannot survive UTF-16 either way
        assertThat(n.get("typeURI").asText()).isEqualTo(AuditLine.EVENT_TYPE_URI);
        assertThat(n.get("eventTime").asText()).isEqualTo("2026-12-06T10:15:30.123456Z");
        assertThat(n.get("action").asText()).isEqualTo("read");
        assertThat(n.get("outcome").asText()).isEqualTo("failure");
        assertThat(n.at("/reason/reasonCode").asText()).isEqualTo("403");
        assertThat(n.at("/initiator/id").asText().replace('\ud800', '?')).isEqualTo(readable);
        assertThat(n.at("/initiator/roles").toString()).isEqualTo("[\"admin\",\"reader\"]");
        assertThat(n.at("/initiator/system_scope").asText()).isEqualTo("all");
        assertThat(n.at("/initiator/host/agent").asText().replace('\ud800', '?')).isEqualTo(readable);
        assertThat(n.at("/target/id").asText().replace('\ud800', '?')).isEqualTo(readable);
        assertThat(n.at("/target/name").asText()).isEqualTo("meta-key");
        assertThat(n.at("/observer/name").asText().replace('\ud800', '?')).isEqualTo("portcullis@" + readable);
        assertThat(n.get("request_id").asText()).isEqualTo("req-1");
        assertThat(n.at("/attachments/0/content/count").asInt()).isEqualTo(3);
        assertThat(n.at("/chain/seq").asLong()).isEqualTo(42);
        assertThat(n.at("/chain/prev").asText()).isEqualTo("0".repeat(64));
        assertThat(n.at("/chain/key_id").asText()).isEqualTo("00ff");
        assertThat(n.at("/chain/hmac").asText()).matches("[0-9a-f]{64}");
        assertThat(line).endsWith("}}").doesNotContain("\n").contains("\\ud800");
    }

    @Test
    void theSealedLineIsTheBodyThenTheChainInItsFixedOrder() {
        AuditEvent e = new AuditEvent("id-3", Instant.parse("2026-12-07T01:02:03.000004Z"), AuditAction.READ, "success",
                null, new AuditEvent.Initiator("service/security/account/user", "u", "p", List.of("r"), null, null, null),
                "data/security/keymanager/secret", "s", null, "GET", "/v1/secrets/s/payload", "req-3", Map.of());
        byte[] prev = new byte[32];
        prev[0] = (byte) 0xab;
        String line = sealed(e, "n", 7, prev, "k1");
        assertThat(line).isEqualTo("{\"typeURI\":\"http://schemas.dmtf.org/cloud/audit/1.0/event\",\"id\":\"id-3\","
                + "\"eventType\":\"activity\",\"eventTime\":\"2026-12-07T01:02:03.000004Z\",\"action\":\"read\","
                + "\"outcome\":\"success\",\"initiator\":{\"typeURI\":\"service/security/account/user\",\"id\":\"u\","
                + "\"project_id\":\"p\",\"roles\":[\"r\"]},\"target\":{\"typeURI\":\"data/security/keymanager/secret\","
                + "\"id\":\"s\"},\"observer\":{\"id\":\"target\",\"typeURI\":\"service/security/keymanager\",\"name\":\"n\"},"
                + "\"requestMethod\":\"GET\",\"requestPath\":\"/v1/secrets/s/payload\",\"request_id\":\"req-3\","
                + "\"chain\":{\"seq\":7,\"prev\":\"ab" + "0".repeat(62) + "\",\"key_id\":\"k1\",\"hmac\":\""
                + HexFormat.of().formatHex(KEY.mac(prev, AuditLine.split(line).canonical().getBytes(StandardCharsets.UTF_8)))
                + "\"}}");
    }

    @Test
    void optionalMembersAreLeftOutAndTheSealedLineSplitsBack() {
        AuditEvent e = new AuditEvent("id-2", Instant.EPOCH, AuditAction.START, "success", null,
                new AuditEvent.Initiator("service/security/keymanager", null, null, null, null, null, null),
                "service/security/keymanager", null, null, null, null, null, Map.of());
        byte[] hmac = new byte[32];
        String line = new String(AuditLine.seal(AuditLine.body(e, "n"), 1, AuditLine.GENESIS,
                AuditLine.keyIdMember("k"), KEY.newMac(), hmac), StandardCharsets.UTF_8);
        assertThat(line).doesNotContain("reason", "roles", "host", "attachments", "requestMethod", "\"name\":null")
                .contains("\"initiator\":{\"typeURI\":\"service/security/keymanager\",\"id\":\"unknown\"}");
        AuditLine.Sealed split = AuditLine.split(line);
        assertThat(split.canonical()).isEqualTo(line.replaceFirst(",\"hmac\":\"[0-9a-f]{64}\"}}$", "}}"));
        assertThat(split.hmac()).isEqualTo(hmac);
        // the writer's MAC, fed the line in pieces, is the verifier's over the canonical text
        assertThat(AuditLine.hmac(KEY, AuditLine.GENESIS, split.canonical())).isEqualTo(hmac);
    }

    /** The line as the writer seals it, as text. */
    private static String sealed(AuditEvent e, String observer, long seq, byte[] prev, String keyId) {
        return new String(AuditLine.seal(AuditLine.body(e, observer), seq, prev, AuditLine.keyIdMember(keyId),
                KEY.newMac(), new byte[32]), StandardCharsets.UTF_8);
    }

    @Test
    void stringsAreEscapedAsJacksonDoesWhetherPlainOrNot() throws Exception {
        String[][] cases = {
            {"plain/v1/secrets-1", "\"plain/v1/secrets-1\""},
            {"", "\"\""},
            {"a\"b\\c\nd\te\u0001\u00e9\ud83d\ude00", "\"a\\\"b\\\\c\\nd\\te\\u0001\u00e9\ud83d\ude00\""},
            {"lone\ud800x", "\"lone\\ud800x\""},
        };
        for (String[] c : cases) {
            StringBuilder b = new StringBuilder();
            AuditLine.string(b, c[0]);
            assertThat(b.toString()).isEqualTo(c[1]);
            if (!c[0].startsWith("lone")) { // a lone surrogate is escaped here on purpose (see string())
                assertThat(Json.MAPPER.writeValueAsString(c[0])).isEqualTo(c[1]);
            }
        }
    }

    @Test
    void theEventTimeIsTheFormattersTextWrittenByHand() {
        Random random = new Random(12);
        List<Instant> times = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-12-31T23:59:59.999999999Z"),
                Instant.parse("0001-01-01T00:00:00.000001Z"), Instant.parse("9999-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-06-01T12:00:00Z")));
        for (int i = 0; i < 1000; i++) {
            times.add(Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_402_300_800L), random.nextInt(1_000_000_000)));
        }
        for (Instant t : times) {
            assertThat(AuditLine.time(new StringBuilder(), t).toString()).as(t.toString()).isEqualTo(AuditLine.TIME.format(t));
        }
    }
}
