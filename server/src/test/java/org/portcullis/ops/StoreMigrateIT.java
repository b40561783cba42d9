package org.portcullis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.portcullis.Portcullis;
import org.portcullis.stores.vault.FakeVaultServer;
import org.portcullis.stores.vault.VaultNodes;
import org.portcullis.testing.Api;
import org.portcullis.testing.KmipTestStore;
import org.portcullis.testing.SoftHsm;
import org.portcullis.testing.TestServer;

/**
 * {@code manage store migrate} between every pair of store kinds that run here, while reader
 * threads fetch every payload and must never see a failure or other bytes; once killed with -9
 * half-way (a child JVM, stopped while the Vault it writes to holds a write) and run again.
 */
class StoreMigrateIT {
    private static final int SECRETS = 40;

    private record Node(TestServer server, Path conf, Api api, String project, Map<String, String> payloads) {}

    private static Node start(Path dir, String extraStores, String firstStore) throws Exception {
        String text = TestServer.multiStoreHead("sqlite:///" + dir.resolve("db.sqlite"), dir,
                "software, software-2" + (extraStores.isEmpty() ? "" : ", " + storeNames(extraStores)))
                + "\n" + TestServer.softwareStore("software", true, TestServer.kek(dir.resolve("kek-1")))
                + "\n" + TestServer.softwareStore("software-2", false, TestServer.kek(dir.resolve("kek-2")))
                + "\n" + extraStores + "\n";
        TestServer server = TestServer.startWithConfig(dir, text);
        String project = "migrating-" + UUID.randomUUID().toString().substring(0, 8);
        Api api = new Api(server.url(), project);
        assertThat(api.postJson(storeRef(api, firstStore) + "/preferred", "").status()).isEqualTo(204);
        Map<String, String> payloads = new LinkedHashMap<>();
        for (int i = 0; i < SECRETS; i++) {
            String payload = "payload " + i + " " + UUID.randomUUID();
            payloads.put(api.createText(payload), payload);
        }
        return new Node(server, dir.resolve("portcullis.conf"), api, project, payloads);
    }

    private static String storeNames(String sections) {
        return String.join(", ", sections.lines().filter(l -> l.startsWith("[secretstore:"))
                .map(l -> l.substring("[secretstore:".length(), l.length() - 1)).toList());
    }

    private static String storeRef(Api api, String name) {
        for (var s : api.get("/v1/secret-stores").json().get("secret_stores")) {
            if (s.get("name").asText().equals(name)) {
                return s.get("secret_store_ref").asText();
            }
        }
        throw new AssertionError("no store " + name);
    }

    private static long inStore(Node node, String store) {
        return node.server().app().database().read(h -> h.createQuery("SELECT count(*) FROM secrets x JOIN "
                        + "secret_stores s ON s.id = x.store_id WHERE s.name = :n AND NOT x.deleted")
                .bind("n", store).mapTo(Long.class).one());
    }

    /** Migrates the node's project from one store to the other and back, under read load. */
    private static void roundTrip(Node node, String a, String b) throws Exception {
        String href = node.server().url() + "/v1/secrets/" + node.payloads().keySet().iterator().next();
        String container = node.api().postJson("/v1/containers", "{\"type\":\"generic\",\"name\":\"c\",\"secret_refs\":"
                + "[{\"name\":\"s\",\"secret_ref\":\"" + href + "\"}]}").json().get("container_ref").asText();
        String first = href.substring(href.lastIndexOf('/') + 1);
        assertThat(node.api().postJson("/v1/secrets/" + first + "/consumers",
                "{\"service\":\"nova\",\"resource_type\":\"instance\",\"resource_id\":\"vm-1\"}").status()).isEqualTo(200);
        for (String[] pair : List.of(new String[] {a, b}, new String[] {b, a})) {
            try (ReadLoad load = new ReadLoad(node.api(), node.payloads(), 4, 200)) {
                SoftHsm.Result r = SoftHsm.manage("store", "migrate", "--config", node.conf().toString(), "--from", pair[0],
                        "--to", pair[1], "--project", node.project(), "--batch", "7", "--set-preferred");
                assertThat(r.exit()).as(r.out() + r.err()).isZero();
                assertThat(r.out()).contains("moved " + SECRETS + " secret(s)");
                load.close();
                assertThat(load.failures()).isEmpty();
                assertThat(load.reads()).isPositive();
            }
            assertThat(inStore(node, pair[1])).isEqualTo(SECRETS);
            assertThat(inStore(node, pair[0])).isZero();
            node.payloads().forEach((id, payload) -> assertThat(node.api().get("/v1/secrets/" + id + "/payload", "Accept",
                    "text/plain").body()).isEqualTo(payload));
        }
        assertThat(node.api().get("/v1/secrets/" + first + "/consumers").json().get("total").asInt()).isEqualTo(1);
        assertThat(node.api().get(container.substring(container.indexOf("/v1/"))).json().get("secret_refs").get(0)
                .get("secret_ref").asText()).isEqualTo(href);
        // the project's new secrets follow --set-preferred
        String fresh = node.api().createText("after");
        String freshStore = node.server().app().database().read(h -> h.createQuery("SELECT s.name FROM secrets x JOIN "
                + "secret_stores s ON s.id = x.store_id WHERE x.id = :id").bind("id", fresh).mapTo(String.class).one());
        assertThat(freshStore).isEqualTo(a);
    }

    @Test
    void softwareToSoftwareAndBack() throws Exception {
        Node node = start(Files.createTempDirectory("migrate-sw"), "", "software");
        try (TestServer server = node.server()) {
            roundTrip(node, "software", "software-2");
        }
    }

    @Test
    void softwareToKmipAndBack() throws Exception {
        KmipTestStore.require();
        Node node = start(Files.createTempDirectory("migrate-kmip"), String.join("\n",
                KmipTestStore.storeSections("kmip", false)), "software");
        try (TestServer server = node.server()) {
            roundTrip(node, "software", "kmip");
        }
    }

    @Test
    void softwareToPkcs11AndBack() throws Exception {
        Path dir = Files.createTempDirectory("migrate-p11");
        Node node = start(dir, SoftHsm.storeWithKeys(dir, "hsm", false), "software");
        try (TestServer server = node.server()) {
            roundTrip(node, "software", "hsm");
        }
    }

    @Test
    void softwareToVaultKilledHalfWayThenRerunThenBack() throws Exception {
        try (FakeVaultServer vault = FakeVaultServer.start()) {
            Path dir = Files.createTempDirectory("migrate-vault");
            Node node = start(dir, VaultNodes.storeSection(vault), "software");
            try (TestServer server = node.server(); ReadLoad load = new ReadLoad(node.api(), node.payloads(), 4, 400)) {
                var held = vault.holdWritesAfter(SECRETS / 2);
                Path log = dir.resolve("child.log");
                Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), Portcullis.class.getName(), "manage", "store",
                        "migrate", "--config", node.conf().toString(), "--from", "software", "--to", "vault",
                        "--batch", "5").redirectErrorStream(true).redirectOutput(log.toFile()).start();
                try {
                    assertThat(held.await(3, TimeUnit.MINUTES)).as(Files.readString(log)).isTrue();
                    child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
                    child.waitFor();
                } finally {
                    vault.releaseWrites();
                }
                long moved = inStore(node, "vault");
                assertThat(moved).isBetween(1L, (long) SECRETS - 1);
                // the batch in hand (the held write included) landed in Vault, but its rows never switched
                assertThat(vault.entries("secret")).isGreaterThan((int) moved);

                SoftHsm.Result rerun = SoftHsm.manage("store", "migrate", "--config", node.conf().toString(), "--from",
                        "software", "--to", "vault", "--batch", "5");
                assertThat(rerun.exit()).as(rerun.out() + rerun.err()).isZero();
                assertThat(inStore(node, "vault")).isEqualTo(SECRETS);
                assertThat(vault.entries("secret")).isEqualTo(SECRETS); // the leftover was replaced, not duplicated

                SoftHsm.Result back = SoftHsm.manage("store", "migrate", "--config", node.conf().toString(), "--from",
                        "vault", "--to", "software-2");
                assertThat(back.exit()).as(back.out() + back.err()).isZero();
                assertThat(vault.entries("secret")).isZero(); // every Vault copy deleted after its switch
                load.close();
                assertThat(load.failures()).isEmpty();
            }
        }
    }
}
