package org.portcullis.stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.portcullis.config.ConfigException;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestServer;

/**
 * A configuration that drops a store which still holds secrets (or is a project's preferred
 * store) is refused at start, with the numbers and the migrate command; dropping an empty store
 * is fine.
 */
class StrandedStoreIT {

    private static String config(Path dir, String... stores) throws Exception {
        StringBuilder text = new StringBuilder(
                TestServer.multiStoreHead("sqlite:///" + dir.resolve("db.sqlite"), dir, String.join(", ", stores)));
        for (String s : stores) {
            Path kek = TestServer.kek(dir.resolve("kek-" + s));
            text.append('\n').append(TestServer.softwareStore(s, s.equals("software"), kek));
        }
        return text.toString();
    }

    @Test
    void droppingAStoreThatHoldsSecretsIsRefusedWithTheMigrateCommand() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-stranded");
        try (TestServer server = TestServer.startWithConfig(dir, config(dir, "software", "software-2", "empty"))) {
            Api p1 = new Api(server.url(), "p1");
            Api p2 = new Api(server.url(), "p2");
            String ref2 = null;
            for (JsonNode s : p1.get("/v1/secret-stores").json().get("secret_stores")) {
                if (s.get("name").asText().equals("software-2")) {
                    ref2 = s.get("secret_store_ref").asText();
                }
            }
            assertThat(p1.postJson(ref2 + "/preferred", "").status()).isEqualTo(204);
            p1.createText("one");
            p1.createText("two");
            assertThat(p2.postJson(ref2 + "/preferred", "").status()).isEqualTo(204);
        }

        assertThatThrownBy(() -> TestServer.startWithConfig(dir, config(dir, "software", "empty")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("secret store 'software-2'")
                .hasMessageContaining("still holds 2 secret(s) of 1 project(s)")
                .hasMessageContaining("preferred store of 2 project(s)")
                .hasMessageContaining("portcullis manage store migrate --config FILE --from software-2");

        // a store that holds nothing may go; the others keep serving
        try (TestServer server = TestServer.startWithConfig(dir, config(dir, "software", "software-2"))) {
            assertThat(new Api(server.url(), "p1").get("/v1/secrets").json().get("total").asInt()).isEqualTo(2);
        }
    }
}
