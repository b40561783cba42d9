package org.portcullis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.stores.vault.FakeVaultServer;
import org.portcullis.stores.vault.VaultNodes;
import org.portcullis.testing.Api;
import org.portcullis.testing.SoftHsm;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * {@code manage purge}: soft-deleted rows older than the cutoff go for good (younger ones stay),
 * payloads of secrets expired before the cutoff are destroyed in their store (here Vault) and the
 * row is marked; {@code --dry-run} changes nothing. Ages are set by moving timestamps back in the
 * database, so nothing waits for a clock.
 */
class PurgeIT {

    @Test
    void purgesOldDeletedRowsAndErasesOldExpiredPayloads() throws Exception {
        try (FakeVaultServer vault = FakeVaultServer.start();
                TestServer node = VaultNodes.start(TestDatabases.Kind.SQLITE, vault, true, "")) {
            Api api = new Api(node.url(), "purge-p");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(api.createText("secret " + i));
            }
            String container = api.postJson("/v1/containers", "{\"type\":\"generic\",\"name\":\"gone\"}").json()
                    .get("container_ref").asText();
            assertThat(api.delete(container.substring(container.indexOf("/v1/"))).status()).isEqualTo(204);
            for (String id : ids.subList(0, 7)) {
                assertThat(api.delete("/v1/secrets/" + id).status()).isEqualTo(204);
            }
            long twoDaysAgo = System.currentTimeMillis() - 2 * 86_400_000L;
            sql(node, "UPDATE secrets SET deleted_at = " + twoDaysAgo + " WHERE deleted AND id <> '" + ids.get(6) + "'");
            sql(node, "UPDATE containers SET deleted_at = " + twoDaysAgo);
            sql(node, "UPDATE secrets SET expiration = " + twoDaysAgo + " WHERE id IN ('" + ids.get(7) + "', '"
                    + ids.get(8) + "')");
            assertThat(vault.entries("secret")).isEqualTo(3);
            String conf = node.dir().resolve("portcullis.conf").toString();

            SoftHsm.Result dry = SoftHsm.manage("purge", "--config", conf, "--deleted-older-than", "1d",
                    "--expired-older-than", "1d", "--dry-run");
            assertThat(dry.exit()).as(dry.err()).isZero();
            assertThat(dry.out()).contains("would purge 6 deleted secrets row(s)")
                    .contains("would purge 1 deleted containers row(s)").contains("would erase 2 expired payload(s)");
            assertThat(count(node, "SELECT count(*) FROM secrets")).isEqualTo(10);

            SoftHsm.Result run = SoftHsm.manage("purge", "--config", conf, "--deleted-older-than", "1d",
                    "--expired-older-than", "1d", "--batch", "4");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("purged 6 deleted secrets row(s)").contains("erased 2 expired payload(s)");
            assertThat(count(node, "SELECT count(*) FROM secrets")).isEqualTo(4); // 1 recently deleted + 3 live
            assertThat(count(node, "SELECT count(*) FROM containers")).isZero();
            assertThat(count(node, "SELECT count(*) FROM secrets WHERE payload_erased_at IS NOT NULL AND payload IS NULL"))
                    .isEqualTo(2);
            assertThat(vault.entries("secret")).isEqualTo(1); // only the live, unexpired secret's entry
            assertThat(api.get("/v1/secrets/" + ids.get(9) + "/payload", "Accept", "text/plain").body())
                    .isEqualTo("secret 9");

            SoftHsm.Result again = SoftHsm.manage("purge", "--config", conf, "--deleted-older-than", "1d",
                    "--expired-older-than", "1d");
            assertThat(again.exit()).isZero();
            assertThat(again.out()).contains("0 deleted secrets row(s)").contains("erased 0 expired payload(s)");
            String audit = java.nio.file.Files.readString(node.dir().resolve("audit.log.manage"));
            assertThat(audit).contains("soft-deleted row purged").contains("expired payload erased");
        }
    }

    private static void sql(TestServer node, String statement) {
        node.app().database().write(h -> h.createUpdate(statement).execute());
    }

    private static long count(TestServer node, String query) {
        return node.app().database().read(h -> h.createQuery(query).mapTo(Long.class).one());
    }
}
