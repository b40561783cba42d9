package org.portcullis.stores;

import java.sql.Connection;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.portcullis.config.ConfigException;
import org.portcullis.db.Database;
import org.portcullis.db.PlainQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes "a KEK that differs between nodes" impossible, and follows rotations, for every store
 * whose project KEKs are wrapped by a master key: software (master KEK files) and PKCS#11 (MKEK
 * and HMAC label pairs, named by their master id). Table
 * {@code master_keys} holds one row per master key a store has known, by fingerprint, in state
 * {@code active} (wraps new project KEKs; one per store), {@code previous} (replaced by a newer
 * key; project KEKs may still need it) or {@code retired} (no project KEK needs it any more).
 *
 * <ul>
 * <li>The first node to start a store records its current key as active.
 * <li>A node whose current key ({@code kek_file}; {@code mkek_label}/{@code hmac_label}) is new
 *     while the active key is among its previous ones ({@code previous_kek_files};
 *     {@code previous_mkek_labels}/{@code previous_hmac_labels}) starts the rotation: its key
 *     becomes active, the old one previous.
 * <li>A node whose current key is previous or retired, or unknown, is refused: it would wrap new
 *     project KEKs that the other nodes cannot read.
 * <li>A node that dropped a previous key still needed by project KEKs is refused, naming how many;
 *     once none needs it the key is marked retired.
 * </ul>
 *
 * <p>It runs before the node listens, so its statements are plain JDBC ({@link PlainQuery}): Jdbi's
 * first statement sets up its flight-recorder event, which the node pays after it listens.
 */
public final class MasterKeyCheck {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyCheck.class);

    /**
     * A node's master keys as the check sees them: the current key's id and how refusals name it
     * ({@code describe}, e.g. "master KEK (fingerprint …, from …)"), which ids it can read with,
     * what a key is called ({@code noun}) and the options that set the current and previous keys.
     */
    public record Keys(String currentId, String describe, Predicate<String> holds, String noun, String currentOption,
            String previousOption) {}

    private MasterKeyCheck() {}

    public static void verify(Database db, StoreInfo store, Keys kek, Clock clock) {
        Map<String, String> states = states(db, store);
        String active = activeOf(states);
        if (active == null) {
            try {
                db.write(h -> insertActive(h.getConnection(), store, kek.currentId(), clock));
                return;
            } catch (RuntimeException raced) {
                states = states(db, store); // another node registered its key at the same moment
                active = activeOf(states);
            }
        }
        if (!kek.currentId().equals(active) && kek.holds().test(active) && states.get(kek.currentId()) == null) {
            promote(db, store, active, kek, clock);
            states = states(db, store);
            active = activeOf(states);
        }
        if (!kek.currentId().equals(active)) {
            throw refused(store, kek, active, states.get(kek.currentId()));
        }
        Map<String, Integer> needed = ProjectKekCounts.byMasterKey(db, store.id());
        for (Map.Entry<String, String> e : states.entrySet()) {
            String id = e.getKey();
            if (id.equals(active) || kek.holds().test(id)) {
                continue;
            }
            int n = needed.getOrDefault(id, 0);
            if (n > 0) {
                throw new ConfigException("secret store '" + store.name() + "': " + n + " project KEK(s) are still "
                        + "wrapped by " + kek.noun() + " " + id + ", which this node's configuration no longer names; "
                        + "their secrets would be unreadable. Keep that key in " + kek.previousOption()
                        + " until `portcullis manage kek status` shows 0 for it (run `portcullis manage kek rotate`). "
                        + "No secret has been changed.");
            }
            if (!"retired".equals(e.getValue())) {
                retire(db, store, id);
            }
        }
    }

    /** Marks retired the store's previous keys that no project KEK needs any more; their ids. */
    public static List<String> retireUnused(Database db, StoreInfo store) {
        return states(db, store).entrySet().stream()
                .filter(e -> "previous".equals(e.getValue()) && retire(db, store, e.getKey()))
                .map(Map.Entry::getKey).toList();
    }

    /** Marks a key retired if no project KEK of the store needs it; true if it is (now) retired. */
    private static boolean retire(Database db, StoreInfo store, String keyId) {
        int n = db.write(h -> PlainQuery.change(h.getConnection(), "UPDATE master_keys SET state = 'retired' "
                + "WHERE store_id = ? AND key_id = ? AND state = 'previous' AND NOT EXISTS (SELECT 1 FROM project_keks "
                + "WHERE store_id = ? AND master_key_id = ?)", ps -> {
                    ps.setString(1, store.id());
                    ps.setString(2, keyId);
                    ps.setString(3, store.id());
                    ps.setString(4, keyId);
                }));
        if (n > 0) {
            LOG.info("secret store '{}': master key {} retired: no project KEK is wrapped by it any more", store.name(),
                    keyId);
        }
        return n > 0;
    }

    private static void promote(Database db, StoreInfo store, String old, Keys kek, Clock clock) {
        try {
            db.write(h -> {
                int n = PlainQuery.change(h.getConnection(), "UPDATE master_keys SET state = 'previous' "
                        + "WHERE store_id = ? AND key_id = ? AND state = 'active'", ps -> {
                            ps.setString(1, store.id());
                            ps.setString(2, old);
                        });
                if (n == 1) {
                    insertActive(h.getConnection(), store, kek.currentId(), clock);
                }
                return n;
            });
            LOG.warn("secret store '{}': master key rotation started: {} is now the current {}, {} is previous; run "
                    + "`portcullis manage kek rotate` to re-wrap the project KEKs", store.name(), kek.describe(),
                    kek.noun(), old);
        } catch (RuntimeException raced) {
            LOG.info("secret store '{}': another node started the rotation to {} at the same moment", store.name(),
                    kek.currentId());
        }
    }

    private static ConfigException refused(StoreInfo store, Keys kek, String active, String state) {
        String head = "secret store '" + store.name() + "': this node's " + kek.describe() + " ";
        String tail = " No secret has been changed.";
        if ("retired".equals(state)) {
            return new ConfigException(head + "was retired by a master-key rotation: no project KEK is wrapped by it "
                    + "any more, and the current " + kek.noun() + " is " + active + ". Configure the current key as "
                    + kek.currentOption() + "." + tail);
        }
        if ("previous".equals(state)) {
            return new ConfigException(head + "was replaced by " + kek.noun() + " " + active + " in a rotation that is "
                    + "still running. Set " + kek.currentOption() + " to the new key and list this one in "
                    + kek.previousOption() + " until `portcullis manage kek status` shows 0 for it." + tail);
        }
        return new ConfigException(head + "does not match the one that encrypted existing secrets (" + kek.noun() + " "
                + active + "); starting would make them unreadable. Use the same " + kek.currentOption() + " as the "
                + "other nodes (to rotate the master key, keep the current key in " + kek.previousOption() + ")." + tail);
    }

    private static int insertActive(Connection conn, StoreInfo store, String keyId, Clock clock) {
        return PlainQuery.change(conn, "INSERT INTO master_keys (store_id, key_id, state, created_at) "
                + "VALUES (?, ?, 'active', ?)", ps -> {
                    ps.setString(1, store.id());
                    ps.setString(2, keyId);
                    ps.setLong(3, clock.millis());
                });
    }

    private static Map<String, String> states(Database db, StoreInfo store) {
        return db.readConnection(conn -> PlainQuery.query(conn,
                "SELECT key_id, state FROM master_keys WHERE store_id = ? ORDER BY created_at", rs -> {
                    Map<String, String> out = new LinkedHashMap<>();
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                    return out;
                }, store.id()));
    }

    private static String activeOf(Map<String, String> states) {
        return states.entrySet().stream().filter(e -> "active".equals(e.getValue())).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }
}
