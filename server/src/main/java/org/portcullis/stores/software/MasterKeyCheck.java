package org.portcullis.stores.software;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.portcullis.config.ConfigException;
import org.portcullis.db.Database;
import org.portcullis.stores.StoreInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes "a KEK that differs between nodes" impossible, and follows rotations. Table
 * {@code master_keys} holds one row per master KEK a store has known, by fingerprint, in state
 * {@code active} (wraps new project KEKs; one per store), {@code previous} (replaced by a newer
 * key; project KEKs may still need it) or {@code retired} (no project KEK needs it any more).
 *
 * <ul>
 * <li>The first node to start a store records its current key as active.
 * <li>A node whose current key ({@code kek_file}) is new while the active key is among its
 *     {@code previous_kek_files} starts the rotation: its key becomes active, the old one previous.
 * <li>A node whose current key is previous or retired, or unknown, is refused: it would wrap new
 *     project KEKs that the other nodes cannot read.
 * <li>A node that dropped a previous key still needed by project KEKs is refused, naming how many;
 *     once none needs it the key is marked retired.
 * </ul>
 */
public final class MasterKeyCheck {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyCheck.class);

    private MasterKeyCheck() {}

    public static void verify(Database db, StoreInfo store, MasterKeyring ring, Clock clock) {
        MasterKek kek = ring.current();
        Map<String, String> states = states(db, store);
        String active = activeOf(states);
        if (active == null) {
            try {
                insertActive(db, store, kek.keyId(), clock);
                return;
            } catch (RuntimeException raced) {
                states = states(db, store); // another node registered its key at the same moment
                active = activeOf(states);
            }
        }
        if (!kek.keyId().equals(active) && ring.byId(active).isPresent() && states.get(kek.keyId()) == null) {
            promote(db, store, active, kek, clock);
            states = states(db, store);
            active = activeOf(states);
        }
        if (!kek.keyId().equals(active)) {
            throw refused(store, kek, active, states.get(kek.keyId()));
        }
        Map<String, Integer> needed = ProjectKekCounts.byMasterKey(db, store.id());
        for (Map.Entry<String, String> e : states.entrySet()) {
            String id = e.getKey();
            if (id.equals(active) || ring.byId(id).isPresent()) {
                continue;
            }
            int n = needed.getOrDefault(id, 0);
            if (n > 0) {
                throw new ConfigException("secret store '" + store.name() + "': " + n + " project KEK(s) are still "
                        + "wrapped by master KEK " + id + ", which this node's configuration no longer names; their "
                        + "secrets would be unreadable. Keep that key's file in " + MasterKeyring.PREVIOUS_OPTION
                        + " until `portcullis manage kek status` shows 0 for it (run `portcullis manage kek rotate`). "
                        + "No secret has been changed.");
            }
            if (!"retired".equals(e.getValue())) {
                retire(db, store, id);
            }
        }
    }

    /** Marks a key retired if no project KEK of the store needs it; true if it is (now) retired. */
    static boolean retire(Database db, StoreInfo store, String keyId) {
        int n = db.write(h -> h.createUpdate("UPDATE master_keys SET state = 'retired' WHERE store_id = :s AND key_id = :k "
                        + "AND state = 'previous' AND NOT EXISTS (SELECT 1 FROM project_keks WHERE store_id = :s "
                        + "AND master_key_id = :k)")
                .bind("s", store.id()).bind("k", keyId).execute());
        if (n > 0) {
            LOG.info("secret store '{}': master KEK {} retired: no project KEK is wrapped by it any more", store.name(),
                    keyId);
        }
        return n > 0;
    }

    private static void promote(Database db, StoreInfo store, String old, MasterKek kek, Clock clock) {
        try {
            db.write(h -> {
                int n = h.createUpdate("UPDATE master_keys SET state = 'previous' WHERE store_id = :s AND key_id = :k "
                                + "AND state = 'active'")
                        .bind("s", store.id()).bind("k", old).execute();
                if (n == 1) {
                    h.createUpdate("INSERT INTO master_keys (store_id, key_id, state, created_at) VALUES (:s, :k, 'active', :t)")
                            .bind("s", store.id()).bind("k", kek.keyId()).bind("t", clock.millis()).execute();
                }
                return n;
            });
            LOG.warn("secret store '{}': master KEK rotation started: {} (from {}) is now the current master KEK, {} "
                    + "is previous; run `portcullis manage kek rotate` to re-wrap the project KEKs", store.name(),
                    kek.keyId(), kek.origin(), old);
        } catch (RuntimeException raced) {
            LOG.info("secret store '{}': another node started the rotation to {} at the same moment", store.name(),
                    kek.keyId());
        }
    }

    private static ConfigException refused(StoreInfo store, MasterKek kek, String active, String state) {
        String head = "secret store '" + store.name() + "': this node's master KEK (fingerprint " + kek.keyId()
                + ", from " + kek.origin() + ") ";
        String tail = " No secret has been changed.";
        if ("retired".equals(state)) {
            return new ConfigException(head + "was retired by a master-key rotation: no project KEK is wrapped by it "
                    + "any more, and the current master KEK is " + active + ". Use the current key file as kek_file."
                    + tail);
        }
        if ("previous".equals(state)) {
            return new ConfigException(head + "was replaced by master KEK " + active + " in a rotation that is still "
                    + "running. Set kek_file to the new key and list this one in " + MasterKeyring.PREVIOUS_OPTION
                    + " until `portcullis manage kek status` shows 0 for it." + tail);
        }
        return new ConfigException(head + "does not match the one that encrypted existing secrets (fingerprint "
                + active + "); starting would make them unreadable. Use the same KEK file as the other nodes (to rotate "
                + "the master KEK, keep the current key in " + MasterKeyring.PREVIOUS_OPTION + ")." + tail);
    }

    private static void insertActive(Database db, StoreInfo store, String keyId, Clock clock) {
        db.write(h -> h.createUpdate("INSERT INTO master_keys (store_id, key_id, state, created_at) "
                        + "VALUES (:s, :k, 'active', :t)")
                .bind("s", store.id()).bind("k", keyId).bind("t", clock.millis())
                .execute());
    }

    static Map<String, String> states(Database db, StoreInfo store) {
        Map<String, String> out = new LinkedHashMap<>();
        db.read(h -> h.createQuery("SELECT key_id, state FROM master_keys WHERE store_id = :s ORDER BY created_at")
                .bind("s", store.id())
                .map((rs, ctx) -> out.put(rs.getString("key_id"), rs.getString("state"))).list());
        return out;
    }

    private static String activeOf(Map<String, String> states) {
        return states.entrySet().stream().filter(e -> "active".equals(e.getValue())).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }
}
