package org.portcullis.db;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Rows the transaction tests write and count: transport keys, the smallest table with a unique key
 * and no foreign ones, so a test's rows say exactly which of its changes were kept.
 */
final class Rows {
    private Rows() {}

    /** Inserts the row {@code id} on {@code h}; a second row with the same id breaks the primary key. */
    static int insert(Handle h, String id) {
        return h.createUpdate("INSERT INTO transport_keys (id, plugin_name, transport_key, created_at, updated_at, "
                + "deleted) VALUES (:id, 'p', 'k', 0, 0, false)").bind("id", id).execute();
    }

    /** Inserts the row {@code id} as a change of the request under way (or a transaction of its own). */
    static void insert(Database db, String id) {
        db.change(h -> insert(h, id));
    }

    /** {@link #insert(Handle, String)} as a statement for the request's COMMIT ({@link Database#changeAtCommit}). */
    static CommitStatement insertAtCommit(String id) {
        return new CommitStatement("INSERT INTO transport_keys (id, plugin_name, transport_key, created_at, updated_at, "
                + "deleted) VALUES (?, 'p', 'k', 0, 0, false)", ps -> ps.setString(1, id));
    }

    /** The ids of the committed rows, in order. */
    static List<String> ids(Database db) {
        return db.read(h -> h.createQuery("SELECT id FROM transport_keys ORDER BY id").mapTo(String.class).list());
    }

    /** How many rows there are, as one statement sees them. */
    static int count(Handle h) {
        return h.createQuery("SELECT count(*) FROM transport_keys").mapTo(Integer.class).one();
    }
}
