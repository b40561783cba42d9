package org.portcullis.stores.software;

import java.time.Clock;
import java.util.List;
import org.portcullis.config.ConfigException;
import org.portcullis.db.Database;
import org.portcullis.stores.StoreInfo;

/**
 * Makes "a KEK that differs between nodes" impossible: the first node to start a store records
 * its master KEK's fingerprint; every later node must hold the same key or refuses to start, with
 * a message that says what is at stake.
 */
public final class MasterKeyCheck {
    private MasterKeyCheck() {}

    public static void verify(Database db, StoreInfo store, MasterKek kek, Clock clock) {
        List<String> active = activeKeys(db, store);
        if (active.isEmpty()) {
            try {
                db.write(h -> h.createUpdate("INSERT INTO master_keys (store_id, key_id, state, created_at) "
                                + "VALUES (:s, :k, 'active', :t)")
                        .bind("s", store.id()).bind("k", kek.keyId()).bind("t", clock.millis())
                        .execute());
                return;
            } catch (RuntimeException raced) {
                active = activeKeys(db, store); // another node registered its key at the same moment
            }
        }
        if (active.contains(kek.keyId())) {
            return;
        }
        boolean retired = db.read(h -> h.createQuery("SELECT count(*) FROM master_keys WHERE store_id = :s AND key_id = :k")
                .bind("s", store.id()).bind("k", kek.keyId()).mapTo(Integer.class).one()) > 0;
        throw new ConfigException("secret store '" + store.name() + "': this node's master KEK (fingerprint "
                + kek.keyId() + ", from " + kek.origin() + ") does not match the one that encrypted existing secrets "
                + "(fingerprint " + String.join(", ", active) + "); starting would make them unreadable. "
                + (retired ? "This key was retired by a rotation: use the current key file. "
                        : "Use the same KEK file as the other nodes. ")
                + "No secret has been changed.");
    }

    private static List<String> activeKeys(Database db, StoreInfo store) {
        return db.read(h -> h.createQuery("SELECT key_id FROM master_keys WHERE store_id = :s AND state = 'active'")
                .bind("s", store.id()).mapTo(String.class).list());
    }
}
