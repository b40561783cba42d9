package org.portcullis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.stores.StoredRef;

/**
 * The global default store as a node opens it (no HTTP), plus secret rows written the way the
 * secrets feature writes them: for tests of a store's key lifecycle.
 */
public record StoreNode(Database db, StoreRegistry registry, SecretStore store) implements AutoCloseable {
    /** Opens the stores of a configuration made of a SQLite database in {@code dir} and {@code stores}. */
    public static StoreNode start(Path dir, String stores) throws Exception {
        Path conf = dir.resolve("portcullis.conf");
        Files.writeString(conf, """
                [DEFAULT]
                sql_connection = sqlite:///%s

                %s
                """.formatted(dir.resolve("db.sqlite"), stores));
        Files.setPosixFilePermissions(conf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        PortcullisConfig config = ConfigLoader.load(conf);
        Database db = Database.open(config.database());
        try {
            StoreRegistry registry = StoreRegistry.start(config.stores(), db, Clock.systemUTC());
            return new StoreNode(db, registry, registry.globalDefault());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public String write(String project, byte[] payload) {
        String id = java.util.UUID.randomUUID().toString();
        StoredRef ref = store.store(new SecretBinding(id, project, store.info().id()), payload);
        db.write(h -> h.createUpdate("INSERT INTO secrets (id, project_id, secret_type, status, store_id, payload, "
                        + "created_at, updated_at, deleted) VALUES (:id, :p, 'opaque', 'ACTIVE', :s, :b, 0, 0, :d)")
                .bind("id", id).bind("p", project).bind("s", store.info().id()).bind("b", ref.bytes())
                .bind("d", false).execute());
        return id;
    }

    public void readAll(Map<String, byte[]> expected) {
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

