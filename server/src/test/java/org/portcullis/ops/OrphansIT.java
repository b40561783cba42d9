package org.portcullis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoredRef;
import org.portcullis.stores.vault.FakeVaultServer;
import org.portcullis.stores.vault.VaultNodes;
import org.portcullis.testing.Api;
import org.portcullis.testing.KmipTestStore;
import org.portcullis.testing.SoftHsm;
import org.portcullis.testing.TestServer;

/**
 * {@code manage orphans} on a node with software, Vault (test fake) and KMIP (PyKMIP) stores: an
 * old secret nobody consumes, a row whose Vault entry was destroyed behind Portcullis' back, and
 * a Vault entry and a KMIP object named by Portcullis that no row points at. A consumed old
 * secret and every healthy row are not reported.
 */
class OrphansIT {

    @Test
    void reportsUnusedSecretsMissingObjectsAndObjectsWithoutRows() throws Exception {
        KmipTestStore.require();
        Path dir = Files.createTempDirectory("orphans-it");
        try (FakeVaultServer vault = FakeVaultServer.start()) {
            String conf = TestServer.multiStoreHead("sqlite:///" + dir.resolve("db.sqlite"), dir, "software, vault, kmip")
                    + "\n" + TestServer.softwareStore("software", true, TestServer.kek(dir.resolve("kek")))
                    + "\n" + VaultNodes.storeSection(vault)
                    + "\n" + String.join("\n", KmipTestStore.storeSections("kmip", false)) + "\n";
            try (TestServer node = TestServer.startWithConfig(dir, conf)) {
                Api sw = new Api(node.url(), "orph-sw");
                String unused = sw.createText("nobody uses me");
                String consumed = sw.createText("nova uses me");
                assertThat(sw.postJson("/v1/secrets/" + consumed + "/consumers",
                        "{\"service\":\"nova\",\"resource_type\":\"instance\",\"resource_id\":\"vm\"}").status())
                        .isEqualTo(200);
                node.app().database().write(h -> h.createUpdate("UPDATE secrets SET created_at = created_at - "
                        + 100L * 86_400_000L).execute());

                Api pv = new Api(node.url(), "orph-vault");
                Api pk = new Api(node.url(), "orph-kmip");
                prefer(pv, "vault");
                prefer(pk, "kmip");
                String lost = pv.createText("my entry will vanish");
                pv.createText("fine");
                pk.createText("fine too");

                SecretStore vaultStore = store(node, "vault");
                SecretStore kmipStore = store(node, "kmip");
                byte[] lostRef = node.app().database().read(h -> h.createQuery("SELECT payload FROM secrets WHERE id = :id")
                        .bind("id", lost).mapTo(byte[].class).one());
                vaultStore.delete(new SecretBinding(lost, "orph-vault", vaultStore.info().id()), new StoredRef(lostRef));
                String strayVault = UUID.randomUUID().toString();
                vaultStore.store(new SecretBinding(strayVault, "orph-vault", vaultStore.info().id()),
                        "stray".getBytes(StandardCharsets.UTF_8));
                String strayKmip = UUID.randomUUID().toString();
                kmipStore.store(new SecretBinding(strayKmip, "orph-kmip", kmipStore.info().id()),
                        "stray".getBytes(StandardCharsets.UTF_8));

                SoftHsm.Result r = SoftHsm.manage("orphans", "--config", dir.resolve("portcullis.conf").toString(),
                        "--older-than", "30d");
                assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
                List<String> lines = r.out().lines().toList();
                assertThat(lines.stream().filter(l -> l.startsWith("unused"))).singleElement().asString()
                        .contains(unused);
                assertThat(lines.stream().filter(l -> l.startsWith("missing"))).singleElement().asString()
                        .contains(lost);
                List<String> noRow = lines.stream().filter(l -> l.startsWith("no row")).toList();
                assertThat(noRow).hasSize(2);
                assertThat(noRow).anyMatch(l -> l.contains(strayVault) && l.contains("Vault entry"))
                        .anyMatch(l -> l.contains(strayKmip) && l.contains("KMIP object"));
                assertThat(r.out()).doesNotContain(consumed).contains("4 orphan(s)");
            }
        }
    }

    private static void prefer(Api api, String store) {
        for (var s : api.get("/v1/secret-stores").json().get("secret_stores")) {
            if (s.get("name").asText().equals(store)) {
                String ref = s.get("secret_store_ref").asText();
                assertThat(api.postJson(ref + "/preferred", "").status()).isEqualTo(204);
            }
        }
    }

    private static SecretStore store(TestServer node, String name) {
        return node.app().stores().all().stream().filter(s -> s.info().name().equals(name)).findFirst().orElseThrow();
    }
}
