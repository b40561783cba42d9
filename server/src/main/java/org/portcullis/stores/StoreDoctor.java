package org.portcullis.stores;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.portcullis.config.PortcullisConfig.StoreSettings;
import org.portcullis.db.Database;
import org.portcullis.health.Finding;
import org.portcullis.stores.software.MasterKek;

/**
 * {@code manage doctor}'s look at each configured store: its master KEK against the fingerprint
 * the database recorded, a round trip, and a decrypt of a random sample of existing secrets for
 * each master key id that protects some (sampling, not scanning: seconds on a million secrets).
 * Reads only: a store the database does not know yet is reported, not registered.
 */
public final class StoreDoctor {
    private final Database db;
    private final Clock clock;
    private final int sample;

    public StoreDoctor(Database db, Clock clock, int sample) {
        this.db = db;
        this.clock = clock;
        this.sample = sample;
    }

    public List<Finding> check(StoreSettings settings) {
        List<Finding> out = new ArrayList<>();
        for (StoreSettings.Store configured : settings.stores()) {
            String check = "store " + configured.name();
            Optional<StoreInfo> info = row(configured.name());
            if (info.isEmpty()) {
                out.add(Finding.warn(check, "not registered in the database yet (no node has started with it)",
                        "start a node with this configuration once"));
                continue;
            }
            if (configured.kek() != null && !kekMatches(configured, info.get(), out)) {
                continue;
            }
            SecretStore store;
            try {
                store = StorePlugins.open(configured, info.get(), db, clock);
            } catch (RuntimeException e) {
                out.add(unreachable(check, info.get(), "cannot be opened: " + e.getMessage()));
                continue;
            }
            try {
                StoreHealth h = store.health();
                if (!h.ok()) {
                    out.add(unreachable(check, info.get(), "round trip failed: " + h.detail()));
                    continue;
                }
                out.add(Finding.pass(check + " round trip", h.detail() + " (" + h.elapsedMicros() / 1000 + " ms)"));
                out.add(new StoreSample(db, store, sample).check(check));
            } finally {
                if (store instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ignored) {
                        // a store that does not close cleanly changes no verdict
                    }
                }
            }
        }
        return out;
    }

    private Optional<StoreInfo> row(String name) {
        return db.read(h -> h.createQuery("SELECT * FROM secret_stores WHERE name = :n").bind("n", name)
                .map((rs, ctx) -> new StoreInfo(rs.getString("id"), rs.getString("name"), rs.getString("store_plugin"),
                        rs.getString("crypto_plugin"), rs.getBoolean("global_default"), rs.getLong("created_at"),
                        rs.getLong("updated_at")))
                .findOne());
    }

    /** The configured master KEK against the database's record; false (with a finding) when it cannot be used. */
    private boolean kekMatches(StoreSettings.Store configured, StoreInfo info, List<Finding> out) {
        String check = "store " + configured.name() + " KEK";
        MasterKek kek;
        try {
            kek = MasterKek.load(configured.kek());
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            int chmod = msg.indexOf("chmod ");
            out.add(chmod >= 0 ? Finding.fail(check, msg, msg.substring(chmod))
                    : Finding.atRisk(check, msg, "restore the master KEK file from backup"));
            return false;
        }
        List<String> active = db.read(h -> h.createQuery("SELECT key_id FROM master_keys WHERE store_id = :s AND "
                + "state = 'active'").bind("s", info.id()).mapTo(String.class).list());
        if (!active.isEmpty() && !active.contains(kek.keyId())) {
            int secrets = count(info);
            out.add(Finding.atRisk(check, "existing secrets unreadable with this KEK: " + kek.origin() + " has "
                    + "fingerprint " + kek.keyId() + " but the " + secrets + " secret(s) of this store were sealed under "
                    + String.join(", ", active), "configure the KEK file the other nodes use (same fingerprint); do "
                    + "not start a node with this one"));
            return false;
        }
        out.add(Finding.pass(check, "fingerprint " + kek.keyId() + (active.isEmpty() ? " (none recorded yet)"
                : " matches the recorded active key")));
        return true;
    }

    private int count(StoreInfo info) {
        return db.read(h -> h.createQuery("SELECT count(*) FROM secrets WHERE store_id = :s AND NOT deleted")
                .bind("s", info.id()).mapTo(Integer.class).one());
    }

    private Finding unreachable(String check, StoreInfo info, String what) {
        int secrets = count(info);
        return Finding.atRisk(check, what + ". " + secrets + " existing secret(s) in this store cannot be read now: "
                + "if only the backend is unreachable they come back with it; if its keys are gone (token deleted, "
                + "server wiped) they are lost unless restored from backup", "bring the backend back (see the error), "
                + "then run doctor again");
    }
}
