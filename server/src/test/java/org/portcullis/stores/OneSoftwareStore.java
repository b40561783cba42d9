package org.portcullis.stores;

import java.nio.file.Path;
import java.time.Clock;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.crypto.Aead;
import org.portcullis.db.Database;
import org.portcullis.stores.software.MasterKek;
import org.portcullis.stores.software.SoftwareStore;

/**
 * A SQLite database in a test's directory with one software store, {@code st} ("default", the
 * global default) under a random master KEK: what store-level tests seal secrets into.
 */
public record OneSoftwareStore(Database db, SoftwareStore store) implements AutoCloseable {
    public static OneSoftwareStore open(Path dir) {
        Database db = Database.open(DatabaseSettings.sqliteFile(dir.resolve("store.sqlite"), 2));
        db.write(h -> h.execute("INSERT INTO secret_stores (id, name, store_plugin, crypto_plugin, global_default, "
                + "created_at, updated_at) VALUES ('st', 'default', 'store_crypto', 'simple_crypto', TRUE, 0, 0)"));
        StoreInfo info = new StoreInfo("st", "default", "store_crypto", "simple_crypto", true, 0, 0);
        return new OneSoftwareStore(db, new SoftwareStore(info, MasterKek.of(Aead.randomKeyBytes(), "test"), db,
                Clock.systemUTC()));
    }

    /** A live secret row of project {@code p} in {@code st}, as the API would have written it. */
    public void insertSecret(String id, long createdAt, byte[] payload) {
        db.write(h -> h.execute("INSERT INTO secrets (id, project_id, secret_type, status, store_id, payload, "
                + "created_at, updated_at, deleted) VALUES (?, 'p', 'opaque', 'ACTIVE', 'st', ?, ?, ?, FALSE)", id,
                payload, createdAt, createdAt));
    }

    @Override
    public void close() {
        db.close();
    }
}
