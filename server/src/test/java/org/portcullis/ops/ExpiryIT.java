package org.portcullis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.SoftHsm;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * {@code expiry_warning_days}: two nodes on one database scan for secrets entering the window and
 * exactly one warning (log + audit) is given per secret; {@code manage expiry report} lists them in
 * every format.
 */
class ExpiryIT {

    private static String createExpiring(Api api, String name, long days) {
        String exp = Instant.now().plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        Api.Response r = api.postJson("/v1/secrets", "{\"name\":\"" + name + "\",\"payload\":\"x\","
                + "\"payload_content_type\":\"text/plain\",\"expiration\":\"" + exp + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String ref = r.json().get("secret_ref").asText();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    @Test
    void twoNodesWarnOncePerSecretAndTheReportListsThem() throws Exception {
        List<String> warn = List.of("[portcullis]", "expiry_warning_days = 7");
        java.nio.file.Path twoDir;
        java.nio.file.Path oneDir;
        String soon;
        String soon2;
        try (TestServer one = TestServer.start(TestDatabases.Kind.SQLITE, warn)) {
            Api p1 = new Api(one.url(), "expiry-p1");
            Api p2 = new Api(one.url(), "expiry-p2");
            oneDir = one.dir();
            soon = createExpiring(p1, "soon", 3);
            soon2 = createExpiring(p2, "soon, too", 5);
            createExpiring(p1, "later", 20);
            p1.createText("never");
            assertThat(p1.postJson("/v1/secrets/" + soon + "/consumers",
                    "{\"service\":\"nova\",\"resource_type\":\"instance\",\"resource_id\":\"vm\"}").status()).isEqualTo(200);

            twoDir = Files.createTempDirectory("expiry-two");
            for (String kek : List.of("kek-1", "kek-2")) { // the same master KEKs as the first node
                Files.copy(one.dir().resolve(kek), twoDir.resolve(kek));
            }
            try (TestServer two = TestServer.startWith(twoDir,
                    "sqlite:///" + one.dir().resolve("portcullis.sqlite").toAbsolutePath(), warn)) {
                // the nodes' own minutely scans may run too: whoever claims a secret first warns
                int first = one.app().expiry().scan();
                int second = two.app().expiry().scan();
                assertThat(first + second).isBetween(0, 2);
                assertThat(one.app().expiry().scan() + two.app().expiry().scan()).isZero();
                assertThat(one.app().expiry().inWindow()).isEqualTo(2);
                List<String> claimed = one.app().database().read(h -> h.createQuery("SELECT id FROM secrets WHERE "
                        + "expiry_warned_at IS NOT NULL ORDER BY id").mapTo(String.class).list());
                assertThat(claimed).containsExactlyInAnyOrder(soon, soon2);
            }
            String conf = one.dir().resolve("portcullis.conf").toString();
            SoftHsm.Result json = SoftHsm.manage("expiry", "report", "--config", conf, "--within", "10d", "--format", "json");
            assertThat(json.exit()).as(json.err()).isZero();
            JsonNode rows = new ObjectMapper().readTree(json.out());
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).get("secret_id").asText()).isEqualTo(soon);
            assertThat(rows.get(0).get("project").asText()).isEqualTo("expiry-p1");
            assertThat(rows.get(0).get("store").asText()).isEqualTo("software");
            assertThat(rows.get(0).get("consumers").asInt()).isEqualTo(1);
            assertThat(rows.get(1).get("secret_id").asText()).isEqualTo(soon2);

            SoftHsm.Result csv = SoftHsm.manage("expiry", "report", "--config", conf, "--within", "30d", "--format", "csv");
            assertThat(csv.out().lines().toList()).hasSize(4).first().isEqualTo("project,secret_id,name,store,expiration,consumers");
            assertThat(csv.out()).contains("\"soon, too\"");
            SoftHsm.Result table = SoftHsm.manage("expiry", "report", "--config", conf);
            assertThat(table.out()).contains("3 secret(s) expire within");
        }
        // both nodes closed: every audit event is written; each secret was warned about once
        String audits = Files.readString(oneDir.resolve("audit.log")) + Files.readString(twoDir.resolve("audit.log"));
        List<String> warnings = audits.lines().filter(l -> l.contains("secret expires soon")).toList();
        assertThat(warnings).hasSize(2);
        String a = soon;
        String b = soon2;
        assertThat(warnings).anyMatch(l -> l.contains(a)).anyMatch(l -> l.contains(b));
    }
}
