package org.portcullis.stores.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.crypto.Aead;
import org.portcullis.db.Database;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.StoreInfo;
import org.portcullis.stores.StoredRef;
import org.portcullis.stores.software.MasterKek;
import org.portcullis.stores.software.SoftwareStore;

/**
 * The migration's walk over a store in (created_at, id) pages (V28): rows that share a created_at
 * across page boundaries are each moved once, none skipped, and a run stopped after a page and run
 * again moves the rest.
 */
class StoreMigrationTest {
    @TempDir
    Path dir;

    private Database db;
    private SoftwareStore from;
    private SoftwareStore to;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseSettings.sqliteFile(dir.resolve("migrate.sqlite"), 2));
        from = store("a", true);
        to = store("b", false);
    }

    private SoftwareStore store(String id, boolean global) {
        db.write(h -> h.execute("INSERT INTO secret_stores (id, name, store_plugin, crypto_plugin, global_default, "
                + "created_at, updated_at) VALUES (?, ?, 'store_crypto', 'simple_crypto', ?, 0, 0)", id, id, global));
        return new SoftwareStore(new StoreInfo(id, id, "store_crypto", "simple_crypto", global, 0, 0),
                MasterKek.of(Aead.randomKeyBytes(), "kek-" + id), db, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** 23 secrets in 5 runs of equal created_at; ids out of time order (as random ids are). */
    private List<String> secrets() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String id = String.format("%02d-secret", (i * 7) % 23);
            StoredRef ref = from.store(new SecretBinding(id, "p", "a"), new byte[] {(byte) i}, Map.of());
            long created = 1000 + i / 5;
            db.write(h -> h.execute("INSERT INTO secrets (id, project_id, secret_type, status, store_id, payload, "
                    + "created_at, updated_at, deleted) VALUES (?, 'p', 'opaque', 'ACTIVE', 'a', ?, ?, ?, FALSE)",
                    id, ref.bytes(), created, created));
            ids.add(id);
        }
        return ids;
    }

    @Test
    void pagesWithTiesOnCreatedAtMoveEverySecretOnce() {
        List<String> ids = secrets();
        List<String> switched = new ArrayList<>();
        try (StoreMigration m = new StoreMigration(db, scope(), 4, 2)) {
            StoreMigration.Outcome o = m.run((covered, s) -> switched.addAll(s), () -> true);
            assertThat(o.moved()).isEqualTo(23);
            assertThat(o.failures()).isEmpty();
            assertThat(m.count()).isZero();
        }
        assertThat(switched).containsExactlyInAnyOrderElementsOf(ids);
        assertReadableFromTheNewStore(ids);
    }

    @Test
    void aRunStoppedAfterAPageIsFinishedByTheNext() {
        List<String> ids = secrets();
        List<String> switched = new ArrayList<>();
        try (StoreMigration m = new StoreMigration(db, scope(), 3, 1)) {
            StoreMigration.Outcome first = m.run((covered, s) -> switched.addAll(s), () -> false);
            assertThat(first.stopped()).isTrue();
            assertThat(first.moved()).isEqualTo(3);
            StoreMigration.Outcome rest = m.run((covered, s) -> switched.addAll(s), () -> true);
            assertThat(rest.moved()).isEqualTo(20);
        }
        assertThat(switched).containsExactlyInAnyOrderElementsOf(ids);
        assertReadableFromTheNewStore(ids);
    }

    private MigrationScope scope() {
        return new MigrationScope(from, to, List.of(), List.of());
    }

    private void assertReadableFromTheNewStore(List<String> ids) {
        for (String id : ids) {
            byte[] payload = db.read(h -> h.createQuery("SELECT payload FROM secrets WHERE id = :id AND store_id = 'b'")
                    .bind("id", id).mapTo(byte[].class).one());
            assertThat(to.retrieve(new SecretBinding(id, "p", "b"), new StoredRef(payload))).hasSize(1);
        }
    }
}
