package org.portcullis.stores;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.portcullis.crypto.Aead;
import org.portcullis.crypto.SealedPayload;
import org.portcullis.crypto.UnknownFormatException;
import org.portcullis.db.Database;

/**
 * The rotation of a store whose project KEKs live in {@code project_keks} and whose payloads are
 * {@link SealedPayload}s in the secret rows (software and PKCS#11): the SQL and the order of
 * steps; the store supplies how a project KEK is wrapped ({@link Wrapping}).
 *
 * <p>Why it is safe while nodes serve: a re-wrap keeps the project KEK's id and bytes, so caches
 * stay valid and every payload keeps opening; every update is a compare-and-set on the old bytes
 * (a row changed meanwhile is left for the next pass); nodes hold the previous master key, so a
 * row read before or after its re-wrap opens. With {@code --reseal}, a project first gets a fresh
 * active KEK (nodes read which KEK is active on every write), then each of its payloads under
 * another KEK is re-sealed under it, then the old KEK row is re-wrapped: the old KEK stays in the
 * database, so a payload a node sealed in the instant before the switch still opens. A run killed
 * anywhere resumes where the rows say: the old KEK row is re-wrapped last, so a project whose
 * reseal was interrupted is picked up again, and gets no second fresh KEK.
 */
public final class ProjectKekRotation implements KeyRotation {
    /** What differs between stores: where master keys live and how a project KEK is wrapped. */
    public interface Wrapping {
        String currentKeyId();

        /** The master key id a wrapped row names. */
        String keyIdOf(byte[] wrapped);

        /** The raw project KEK, opened with whichever master key wrapped it. */
        byte[] unwrap(String kekId, String projectId, byte[] wrapped);

        /** Wraps under the current master key. */
        byte[] wrap(String kekId, String projectId, byte[] raw);

        /** 32 random bytes for a fresh project KEK. */
        byte[] newKey();

        /** Marks retired the previous keys that no project KEK needs; their ids. */
        List<String> retireUnused();
    }

    private record Row(String id, String projectId, String masterKeyId, boolean active, byte[] wrapped) {}

    /** A secret row as the usage count reads it, with its key in the store's walk ({@link StoreCursor}). */
    private record Sealed(String id, byte[] payload, long createdAt) {}

    /** Rows per read of the usage count's walk: each read is one short read transaction. */
    private static final int USAGE_PAGE = 5000;

    private final Database db;
    private final String storeId;
    private final Wrapping wrapping;
    private final java.time.Clock clock;

    public ProjectKekRotation(Database db, String storeId, Wrapping wrapping, java.time.Clock clock) {
        this.db = db;
        this.storeId = storeId;
        this.wrapping = wrapping;
        this.clock = clock;
    }

    @Override
    public String currentKeyId() {
        return wrapping.currentKeyId();
    }

    @Override
    public List<KeyUse> usage() {
        Map<String, String> states = new LinkedHashMap<>();
        states.put(currentKeyId(), "active");
        for (String[] key : db.read(h -> h.createQuery("SELECT key_id, state FROM master_keys WHERE store_id = :s "
                        + "ORDER BY created_at DESC")
                .bind("s", storeId).map((rs, c) -> new String[] {rs.getString(1), rs.getString(2)}).list())) {
            states.put(key[0], key[1]);
        }
        Map<String, String> kekMaster = new HashMap<>();
        Map<String, Integer> keks = new LinkedHashMap<>();
        for (String[] kek : db.read(h -> h.createQuery("SELECT id, master_key_id FROM project_keks WHERE store_id = :s")
                .bind("s", storeId).map((rs, c) -> new String[] {rs.getString(1), rs.getString(2)}).list())) {
            kekMaster.put(kek[0], kek[1]);
            keks.merge(kek[1], 1, Integer::sum);
        }
        Map<String, Long> payloads = new HashMap<>();
        StoreCursor after = StoreCursor.START;
        while (true) {
            StoreCursor from = after;
            List<Sealed> page = db.read(h -> from.bind(h.createQuery("SELECT id, payload, created_at FROM secrets "
                            + "WHERE store_id = :s AND payload IS NOT NULL" + StoreCursor.NEXT_PAGE), USAGE_PAGE)
                    .bind("s", storeId).map((rs, c) -> new Sealed(rs.getString(1), rs.getBytes(2), rs.getLong(3)))
                    .list());
            if (page.isEmpty()) {
                break;
            }
            for (Sealed row : page) {
                payloads.merge(kekMaster.getOrDefault(kekIdOf(row.payload()), "unknown"), 1L, Long::sum);
            }
            Sealed last = page.get(page.size() - 1);
            after = StoreCursor.at(last.createdAt(), last.id());
        }
        List<KeyUse> out = new ArrayList<>();
        java.util.Set<String> ids = new java.util.LinkedHashSet<>(states.keySet());
        ids.addAll(keks.keySet());
        ids.addAll(payloads.keySet());
        for (String id : ids) {
            out.add(new KeyUse(id, states.getOrDefault(id, "unknown"), keks.getOrDefault(id, 0),
                    payloads.getOrDefault(id, 0L)));
        }
        return out;
    }

    private static String kekIdOf(byte[] payload) {
        try {
            return SealedPayload.header(payload).projectKekId();
        } catch (UnknownFormatException e) {
            return "unknown";
        }
    }

    @Override
    public int pendingProjectKeks() {
        return db.read(h -> h.createQuery("SELECT count(*) FROM project_keks WHERE store_id = :s AND master_key_id <> :m")
                .bind("s", storeId).bind("m", currentKeyId()).mapTo(Integer.class).one());
    }

    @Override
    public int step(int batch, boolean reseal, Committed committed) {
        List<Row> rows = db.read(h -> h.createQuery("SELECT id, project_id, master_key_id, active, wrapped FROM project_keks "
                        + "WHERE store_id = :s AND master_key_id <> :m ORDER BY id LIMIT :n")
                .bind("s", storeId).bind("m", currentKeyId()).bind("n", reseal ? 1 : batch)
                .map((rs, c) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBytes(5)))
                .list());
        int[] count = new int[1];
        Committed counting = changes -> {
            count[0] += changes.size();
            committed.accept(changes);
        };
        if (reseal && !rows.isEmpty()) {
            reseal(rows.get(0), batch, counting);
        }
        rewrap(rows, counting);
        return count[0];
    }

    private void rewrap(List<Row> rows, Committed committed) {
        List<Change> changes = new ArrayList<>();
        String to = currentKeyId();
        List<Object[]> updates = new ArrayList<>();
        for (Row r : rows) {
            byte[] raw = wrapping.unwrap(r.id(), r.projectId(), r.wrapped());
            updates.add(new Object[] {r, wrapping.wrap(r.id(), r.projectId(), raw)});
            java.util.Arrays.fill(raw, (byte) 0);
        }
        long now = clock.millis();
        int[] done = db.write(h -> {
            PreparedBatch b = h.prepareBatch("UPDATE project_keks SET wrapped = :w, master_key_id = :m, updated_at = :t "
                    + "WHERE id = :id AND store_id = :s AND wrapped = :old");
            for (Object[] u : updates) {
                Row r = (Row) u[0];
                b.bind("w", (byte[]) u[1]).bind("m", to).bind("t", now).bind("id", r.id()).bind("s", storeId)
                        .bind("old", r.wrapped()).add();
            }
            return updates.isEmpty() ? new int[0] : b.execute();
        });
        for (int i = 0; i < done.length; i++) {
            Row r = (Row) updates.get(i)[0];
            if (done[i] > 0) {
                changes.add(new Change("rewrap", r.id(), r.projectId(), r.masterKeyId(), to));
            }
        }
        committed.accept(changes);
    }

    private void reseal(Row old, int batch, Committed committed) {
        String project = old.projectId();
        Row current = activeKekId(project).map(this::kekRow).orElse(null);
        String activeId = current != null && current.masterKeyId().equals(currentKeyId()) ? current.id()
                : freshKek(project, current, committed);
        Row active = kekRow(activeId);
        Aead to = Aead.of(new SecretKeySpec(wrapping.unwrap(active.id(), project, active.wrapped()), "AES"));
        Map<String, Aead> from = new HashMap<>();
        // The project's secret ids once, then their rows a batch at a time. Only project_id in the
        // WHERE: with store_id too, SQLite (no statistics) walks the store's index, which is every
        // secret of the store for each project (a 100k-secret reseal spent most of its time there).
        List<String> all = db.read(h -> h.createQuery("SELECT id, store_id FROM secrets WHERE project_id = :p "
                        + "AND payload IS NOT NULL")
                .bind("p", project)
                .map((rs, c) -> storeId.equals(rs.getString(2)) ? rs.getString(1) : null).list())
                .stream().filter(java.util.Objects::nonNull).sorted().toList();
        for (int at = 0; at < all.size(); at += batch) {
            List<String> chunk = all.subList(at, Math.min(all.size(), at + batch));
            List<Object[]> page = db.read(h -> h.createQuery("SELECT id, payload FROM secrets WHERE id IN (<ids>) "
                            + "AND payload IS NOT NULL")
                    .bindList("ids", chunk)
                    .map((rs, c) -> new Object[] {rs.getString(1), rs.getBytes(2)}).list());
            List<Object[]> todo = new ArrayList<>();
            for (Object[] p : page) {
                String kekId = SealedPayload.header((byte[]) p[1]).projectKekId();
                if (!kekId.equals(activeId)) {
                    from.computeIfAbsent(kekId, k -> {
                        Row r = kekRow(k);
                        return Aead.of(new SecretKeySpec(wrapping.unwrap(r.id(), project, r.wrapped()), "AES"));
                    });
                    todo.add(new Object[] {p[0], p[1], kekId});
                }
            }
            // The crypto is the CPU cost of a batch: it runs on all cores, the write stays one transaction.
            List<Object[]> updates = todo.parallelStream().map(t -> resealOne(from.get((String) t[2]), to, activeId,
                    project, (String) t[0], (byte[]) t[1], (String) t[2])).toList();
            long now = clock.millis();
            List<Change> changes = new ArrayList<>();
            int[] done = updates.isEmpty() ? new int[0] : db.write(h -> {
                PreparedBatch b = h.prepareBatch("UPDATE secrets SET payload = :new, updated_at = :t "
                        + "WHERE id = :id AND payload = :old");
                for (Object[] u : updates) {
                    b.bind("new", (byte[]) u[2]).bind("t", now).bind("id", (String) u[0]).bind("old", (byte[]) u[1]).add();
                }
                return b.execute();
            });
            for (int i = 0; i < done.length; i++) {
                if (done[i] > 0) {
                    changes.add(new Change("reseal", (String) updates.get(i)[0], project, (String) updates.get(i)[3],
                            activeId));
                }
            }
            committed.accept(changes);
        }
    }

    /** {secret id, old sealed bytes, new sealed bytes, old KEK id}. */
    private Object[] resealOne(Aead key, Aead to, String activeId, String project, String secretId, byte[] sealed,
            String kekId) {
        byte[] aad = SealedPayload.aad(secretId, project, storeId);
        try {
            byte[] plain = SealedPayload.open(key, sealed, aad);
            Object[] update = {secretId, sealed, SealedPayload.seal(to, activeId, aad, plain), kekId};
            java.util.Arrays.fill(plain, (byte) 0);
            return update;
        } catch (AEADBadTagException e) {
            throw new StoreException("secret " + secretId + " failed authentication during the reseal: its "
                    + "row was altered; it is left as it is", e, true);
        }
    }

    /**
     * Makes a fresh project KEK, wrapped by the current master key, the project's active one in
     * one transaction with deactivating {@code previous} (null: the project has none). If another
     * node or run got there first, theirs is used.
     */
    private String freshKek(String projectId, Row previous, Committed committed) {
        String id = java.util.UUID.randomUUID().toString();
        byte[] raw = wrapping.newKey();
        byte[] wrapped = wrapping.wrap(id, projectId, raw);
        java.util.Arrays.fill(raw, (byte) 0);
        long now = clock.millis();
        boolean switched;
        try {
            switched = db.write(h -> {
                if (previous != null && h.createUpdate("UPDATE project_keks SET active = :f, updated_at = :t "
                                + "WHERE id = :id AND active")
                        .bind("f", false).bind("t", now).bind("id", previous.id()).execute() == 0) {
                    return false;
                }
                h.createUpdate("INSERT INTO project_keks (id, project_id, store_id, master_key_id, wrapped, active, "
                                + "created_at, updated_at) VALUES (:id, :p, :s, :m, :w, :a, :t, :t)")
                        .bind("id", id).bind("p", projectId).bind("s", storeId).bind("m", currentKeyId())
                        .bind("w", wrapped).bind("a", true).bind("t", now).execute();
                return true;
            });
        } catch (RuntimeException raced) {
            switched = false; // a node created the project's first KEK at the same moment (one active per project)
        }
        if (switched) {
            committed.accept(List.of(new Change("new-kek", id, projectId, previous == null ? "" : previous.id(),
                    currentKeyId())));
            return id;
        }
        return activeKekId(projectId).orElseThrow(() -> new StoreException("project " + projectId
                + " has no active KEK in store " + storeId + " after the switch", null, false));
    }

    private Optional<String> activeKekId(String projectId) {
        return db.read(h -> h.createQuery("SELECT id FROM project_keks WHERE project_id = :p AND store_id = :s AND active")
                .bind("p", projectId).bind("s", storeId).mapTo(String.class).findOne());
    }

    private Row kekRow(String id) {
        return db.read(h -> h.createQuery("SELECT id, project_id, master_key_id, active, wrapped FROM project_keks "
                        + "WHERE id = :id AND store_id = :s")
                .bind("id", id).bind("s", storeId)
                .map((rs, c) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getBytes(5)))
                .findOne().orElseThrow(() -> new StoreException("project KEK " + id + " is missing", null, true)));
    }

    @Override
    public List<String> retireUnused() {
        return wrapping.retireUnused();
    }
}
