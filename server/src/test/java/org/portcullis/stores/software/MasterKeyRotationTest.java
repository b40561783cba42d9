package org.portcullis.stores.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.stores.KeyRotation;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.stores.StoredRef;
import org.portcullis.testing.TestServer;

/**
 * The key lifecycle on one SQLite file: a new kek_file with the old key in previous_kek_files
 * starts a rotation; dropping the old key too early is refused with a count; re-wrap and reseal
 * keep every payload's bytes; the old key ends retired and a node with only it is refused.
 */
class MasterKeyRotationTest {
    @TempDir
    Path dir;

    @Test
    void aRotationRunsFromStartToRetirement() throws Exception {
        Path oldKek = TestServer.kek(dir.resolve("old"));
        Path newKek = TestServer.kek(dir.resolve("new"));
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        try (Node n = Node.start(dir, oldKek, null)) {
            for (int i = 0; i < 6; i++) {
                payloads.put(n.write("project-" + (i % 2), new byte[] {(byte) i, 42}), new byte[] {(byte) i, 42});
            }
        }
        String oldId = MasterKek.load(new PortcullisConfig.KekSource("t", oldKek, null)).keyId();

        try (Node n = Node.start(dir, newKek, oldKek)) { // starts the rotation
            KeyRotation r = n.store.keyRotation().orElseThrow();
            assertThat(r.usage()).contains(new KeyRotation.KeyUse(oldId, "previous", 2, 6));
            assertThat(r.pendingProjectKeks()).isEqualTo(2);
            n.readAll(payloads);
        }
        assertThatThrownBy(() -> Node.start(dir, newKek, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("2 project KEK(s) are still wrapped by master KEK " + oldId);
        assertThatThrownBy(() -> Node.start(dir, oldKek, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("was replaced by master KEK");

        try (Node n = Node.start(dir, newKek, oldKek)) {
            KeyRotation r = n.store.keyRotation().orElseThrow();
            List<KeyRotation.Change> all = new ArrayList<>();
            while (r.step(4, true, all::addAll) > 0) {
                n.readAll(payloads);
            }
            assertThat(all.stream().filter(c -> c.kind().equals("reseal"))).hasSize(6);
            assertThat(all.stream().filter(c -> c.kind().equals("new-kek"))).hasSize(2);
            assertThat(all.stream().filter(c -> c.kind().equals("rewrap"))).hasSize(2);
            assertThat(r.step(4, true, all::addAll)).isZero(); // idempotent: nothing left
            assertThat(r.retireUnused()).containsExactly(oldId);
            assertThat(r.usage()).contains(new KeyRotation.KeyUse(oldId, "retired", 0, 0));
            n.readAll(payloads);
        }
        assertThatThrownBy(() -> Node.start(dir, oldKek, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("was retired by a master-key rotation");
        try (Node n = Node.start(dir, newKek, null)) {
            n.readAll(payloads);
        }
    }

    /** A store as a node opens it, plus secret rows written the way the secrets feature writes them. */
    private record Node(Database db, StoreRegistry registry, SecretStore store) implements AutoCloseable {
        static Node start(Path dir, Path kek, Path previous) throws Exception {
            Path conf = dir.resolve("portcullis.conf");
            Files.writeString(conf, """
                    [DEFAULT]
                    sql_connection = sqlite:///%s

                    [simple_crypto_plugin]
                    kek_file = %s
                    %s
                    """.formatted(dir.resolve("db.sqlite"), kek, previous == null ? "" : "previous_kek_files = " + previous));
            PortcullisConfig config = ConfigLoader.load(conf);
            Database db = Database.open(config.database());
            try {
                StoreRegistry registry = StoreRegistry.start(config.stores(), db, Clock.systemUTC());
                return new Node(db, registry, registry.globalDefault());
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        }

        String write(String project, byte[] payload) {
            String id = java.util.UUID.randomUUID().toString();
            StoredRef ref = store.store(new SecretBinding(id, project, store.info().id()), payload);
            db.write(h -> h.createUpdate("INSERT INTO secrets (id, project_id, secret_type, status, store_id, payload, "
                            + "created_at, updated_at, deleted) VALUES (:id, :p, 'opaque', 'ACTIVE', :s, :b, 0, 0, :d)")
                    .bind("id", id).bind("p", project).bind("s", store.info().id()).bind("b", ref.bytes())
                    .bind("d", false).execute());
            return id;
        }

        void readAll(Map<String, byte[]> expected) {
            expected.forEach((id, bytes) -> {
                Map<String, Object> row = db.read(h -> h.createQuery("SELECT project_id, payload FROM secrets WHERE id = :id")
                        .bind("id", id).mapToMap().one());
                SecretBinding b = new SecretBinding(id, (String) row.get("project_id"), store.info().id());
                assertThat(store.retrieve(b, new StoredRef((byte[]) row.get("payload")))).isEqualTo(bytes);
            });
        }

        @Override
        public void close() {
            registry.close();
            db.close();
        }
    }
}
