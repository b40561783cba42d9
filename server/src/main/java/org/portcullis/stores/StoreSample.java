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
     * Up to {@code n} distinct rows at random places, each found by one probe of the store's
     * (store_id, created_at, id) index, so the work does not grow with the number of secrets. A
     * probe starts at a random time between the store's first and last secret and takes the first
     * matching row from there not sampled yet (a probe past the last match starts again from the
     * first): n distinct secrets whenever the store has n. The start points spread evenly over the
     * store's history, not over its rows: a secret after a quiet spell is likelier to be picked
     * than one in a burst. (This started at a random id while ids were random UUIDs; they are in
     * creation order now, TimeOrderedIds.) Why not ORDER BY random(): that reads and sorts every
     * payload of the store, seconds on 100k secrets.
     */
    private List<Row> rows(String where, Map<String, String> binds) {
        String storeId = store.info().id();
        long[] span = db.read(h -> h.createQuery("SELECT (SELECT min(created_at) FROM secrets WHERE store_id = :s), "
                        + "(SELECT max(created_at) FROM secrets WHERE store_id = :s)").bind("s", storeId)
                .map((rs, ctx) -> rs.getObject(1) == null ? null : new long[] {rs.getLong(1), rs.getLong(2)})
                .findOne().orElse(null));
        Map<String, Row> found = new LinkedHashMap<>();
        for (int probe = 0; span != null && probe < n; probe++) {
            long at = span[0] + ThreadLocalRandom.current().nextLong(span[1] - span[0] + 1);
            Row next = firstNew(at, where, binds, found);
            if (next == null) {
                next = firstNew(Long.MIN_VALUE, where, binds, found);
            }
            if (next == null) {
                break; // every matching row is in the sample already
            }
            found.put(next.id(), next);
        }
        return List.copyOf(found.values());
    }

    /**
     * The first matching row at or after {@code at} that is not in {@code found}: of the first
     * found.size() + 1 rows from there, one at least is new when there are that many.
     */
    private Row firstNew(long at, String where, Map<String, String> binds, Map<String, Row> found) {
        List<Row> rows = db.read(h -> {
            var q = h.createQuery("SELECT id, project_id, payload FROM secrets WHERE store_id = :s "
                    + "AND created_at >= :at AND NOT deleted AND payload IS NOT NULL" + where
                    + " ORDER BY created_at, id LIMIT :k").bind("at", at).bind("k", found.size() + 1);
            binds.forEach(q::bind);
            return q.map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getBytes(3))).list();
        });
        return rows.stream().filter(r -> !found.containsKey(r.id())).findFirst().orElse(null);
    }
}
