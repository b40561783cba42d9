package org.portcullis.stores;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.portcullis.db.Database;
import org.portcullis.health.Finding;

/**
 * Decrypts a random sample of a store's existing secrets, {@code n} for each master key id that
 * protects one of its projects (project KEK rows record it), or {@code n} in all for stores without
 * project KEKs (KMIP, Vault). A round trip proves the store works for new secrets; only this proves
 * the old ones still open.
 */
final class StoreSample {
    private record Row(String id, String projectId, byte[] payload) {}

    private final Database db;
    private final SecretStore store;
    private final int n;

    StoreSample(Database db, SecretStore store, int n) {
        this.db = db;
        this.store = store;
        this.n = n;
    }

    Finding check(String check) {
        String storeId = store.info().id();
        List<String> masterKeys = db.read(h -> h.createQuery("SELECT DISTINCT master_key_id FROM project_keks "
                + "WHERE store_id = :s ORDER BY master_key_id").bind("s", storeId).mapTo(String.class).list());
        Map<String, List<Row>> samples = new LinkedHashMap<>();
        if (masterKeys.isEmpty()) {
            samples.put("all", rows("", Map.of("s", storeId)));
        } else {
            for (String m : masterKeys) {
                samples.put(m, rows(" AND project_id IN (SELECT project_id FROM project_keks WHERE store_id = :s "
                        + "AND master_key_id = :m)", Map.of("s", storeId, "m", m)));
            }
        }
        int tried = 0;
        List<String> failures = new ArrayList<>();
        StringBuilder per = new StringBuilder();
        for (var e : samples.entrySet()) {
            int ok = 0;
            for (Row r : e.getValue()) {
                tried++;
                try {
                    store.retrieve(new SecretBinding(r.id(), r.projectId(), storeId), new StoredRef(r.payload()));
                    ok++;
                } catch (RuntimeException ex) {
                    failures.add(r.id() + " (master key " + e.getKey() + "): " + ex.getMessage());
                }
            }
            per.append(per.isEmpty() ? "" : ", ").append(e.getKey().equals("all") ? "" : "master key " + e.getKey() + ": ")
                    .append(ok).append('/').append(e.getValue().size());
        }
        if (tried == 0) {
            return Finding.pass(check + " existing secrets", "no secret with a payload to sample yet");
        }
        if (!failures.isEmpty()) {
            return Finding.atRisk(check + " existing secrets", "existing secrets unreadable: " + failures.size() + " of "
                    + tried + " sampled failed to decrypt (" + per + "); first: " + failures.get(0),
                    "do not rotate or delete keys; check that this node has the master key(s) the secrets were sealed "
                            + "under and that the backend holds their objects, then restore from backup if not");
        }
        return Finding.pass(check + " existing secrets", "decrypted a random sample: " + per);
    }

    /**
     * Up to {@code n} distinct rows at random places: each probe starts at a random rank of the
     * store's rows in its (store_id, created_at, id) index and takes the first matching row from
     * there; a probe past the last match starts again from the first. Ranks are uniform over the
     * store's rows, so every secret is as likely a start as by the random id this used to start
     * from (ids are not that index's order any more, V28). Why not ORDER BY random(): that reads and
     * sorts every payload of the store, seconds on 100k secrets; the count and an OFFSET walk only
     * the index's keys, and the payloads read are the sample's.
     */
    private List<Row> rows(String where, Map<String, String> binds) {
        String storeId = store.info().id();
        long total = db.read(h -> h.createQuery("SELECT count(*) FROM secrets WHERE store_id = :s")
                .bind("s", storeId).mapTo(Long.class).one());
        Map<String, Row> found = new LinkedHashMap<>();
        for (int probe = 0; total > 0 && probe < 2 * n && found.size() < n; probe++) {
            long rank = ThreadLocalRandom.current().nextLong(total);
            Key start = db.read(h -> h.createQuery("SELECT created_at, id FROM secrets WHERE store_id = :s "
                            + "ORDER BY created_at, id LIMIT 1 OFFSET :r").bind("s", storeId).bind("r", rank)
                    .map((rs, ctx) -> new Key(rs.getLong(1), rs.getString(2))).findOne().orElse(Key.FIRST));
            List<Row> first = from(start, where, binds);
            if (first.isEmpty()) {
                first = from(Key.FIRST, where, binds);
            }
            if (first.isEmpty()) {
                break;
            }
            found.putIfAbsent(first.get(0).id(), first.get(0));
        }
        return List.copyOf(found.values());
    }

    /** A place in the store's (created_at, id) order; FIRST is before every row. */
    private record Key(long createdAt, String id) {
        static final Key FIRST = new Key(Long.MIN_VALUE, "");
    }

    private List<Row> from(Key start, String where, Map<String, String> binds) {
        return db.read(h -> {
            var q = h.createQuery("SELECT id, project_id, payload FROM secrets WHERE store_id = :s "
                    + "AND (created_at, id) >= (:at, :start) AND NOT deleted AND payload IS NOT NULL" + where
                    + " ORDER BY created_at, id LIMIT 1").bind("at", start.createdAt()).bind("start", start.id());
            binds.forEach(q::bind);
            return q.map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getBytes(3))).list();
        });
    }
}
