package org.portcullis.stores.software;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.portcullis.crypto.Aead;
import org.portcullis.crypto.AssociatedData;
import org.portcullis.crypto.UnknownFormatException;
import org.portcullis.crypto.WrappedKey;
import org.portcullis.db.Database;
import org.portcullis.stores.StoreException;

/**
 * The project KEKs of one software store: created on a project's first secret, kept wrapped by
 * the current master KEK in {@code project_keks} ({@link WrappedKey}), unwrapped once per node
 * and cached by id. A row wrapped by a previous master KEK (a rotation in progress) opens with
 * that key when this node holds it.
 *
 * <p>Which KEK a write uses is read from the database on every write (one indexed lookup):
 * {@code manage kek rotate --reseal} makes a fresh project KEK active while nodes serve, and a
 * node that kept sealing under the old one would leave payloads behind the reseal.
 */
final class ProjectKeks {
    private static final int CACHE_LIMIT = 50_000;

    private final Database db;
    private final String storeId;
    private final MasterKeyring ring;
    private final Clock clock;
    private final Map<String, ProjectKek> byId = new ConcurrentHashMap<>();

    ProjectKeks(Database db, String storeId, MasterKeyring ring, Clock clock) {
        this.db = db;
        this.storeId = storeId;
        this.ring = ring;
        this.clock = clock;
    }

    /**
     * The project's active KEK, created if it has none yet: inside a request that opened its
     * transaction, in that transaction (committed with the secret sealed under it, or not at all);
     * elsewhere committed on its own.
     */
    ProjectKek active(String projectId) {
        Optional<String> id = db.read(h -> h.createQuery(
                        "SELECT id FROM project_keks WHERE project_id = :p AND store_id = :s AND active")
                .bind("p", projectId).bind("s", storeId).mapTo(String.class).findOne());
        return id.map(kekId -> byId(kekId, projectId)).orElseGet(() -> create(projectId));
    }

    /**
     * The active KEKs of several projects with one query (a migration's batch spans many
     * projects; one lookup each was a database round trip per project per batch); a project
     * without one gets it created as in {@link #active}.
     */
    Map<String, ProjectKek> activeAll(java.util.Collection<String> projectIds) {
        Map<String, String> ids = new java.util.HashMap<>();
        db.read(h -> h.createQuery("SELECT project_id, id FROM project_keks WHERE store_id = :s AND active "
                        + "AND project_id IN (<p>)")
                .bind("s", storeId).bindList("p", java.util.List.copyOf(projectIds))
                .map((rs, ctx) -> ids.put(rs.getString(1), rs.getString(2))).list());
        Map<String, ProjectKek> out = new java.util.HashMap<>();
        for (String p : projectIds) {
            String id = ids.get(p);
            out.put(p, id == null ? active(p) : byId(id, p));
        }
        return out;
    }

    /** The KEK a payload names, which must belong to {@code projectId}. */
    ProjectKek byId(String kekId, String projectId) {
        ProjectKek cached = byId.get(kekId);
        if (cached == null) {
            cached = db.read(h -> h.createQuery("SELECT id, project_id, wrapped FROM project_keks WHERE id = :id AND store_id = :store")
                            .bind("id", kekId).bind("store", storeId)
                            .map((rs, ctx) -> unwrap(rs.getString("id"), rs.getString("project_id"), rs.getBytes("wrapped")))
                            .findOne())
                    .orElseThrow(() -> new StoreException("the project KEK " + kekId + " that sealed this secret is "
                            + "missing from the database; the secret cannot be decrypted", null, true));
            remember(cached);
        }
        if (!cached.projectId().equals(projectId)) {
            throw new StoreException("payload sealed under another project's KEK", null, true);
        }
        return cached;
    }

    /** A new project KEK, wrapped by the current master KEK: its row's {@code wrapped} bytes and the key. */
    record NewKek(String id, byte[] wrapped, ProjectKek kek) {}

    NewKek newKek(String projectId) {
        String id = UUID.randomUUID().toString();
        byte[] raw = Aead.randomKeyBytes();
        MasterKek master = ring.current();
        byte[] wrapped = WrappedKey.wrap(master.aead(), master.keyIdBytes(), raw, aad(storeId, projectId, id));
        return new NewKek(id, wrapped, new ProjectKek(id, projectId, Aead.of(new SecretKeySpec(raw, "AES"))));
    }

    private ProjectKek create(String projectId) {
        NewKek k = newKek(projectId);
        long now = clock.millis();
        try {
            db.change(h -> h.createUpdate("INSERT INTO project_keks (id, project_id, store_id, master_key_id, wrapped, "
                            + "active, created_at, updated_at) VALUES (:id, :p, :s, :m, :w, :a, :t, :t)")
                    .bind("id", k.id()).bind("p", projectId).bind("s", storeId).bind("m", ring.current().keyId())
                    .bind("w", k.wrapped()).bind("a", true).bind("t", now)
                    .execute());
            remember(k.kek());
            return k.kek();
        } catch (RuntimeException e) {
            // Another request or node created it first: use theirs.
            return db.read(h -> h.createQuery("SELECT id FROM project_keks WHERE project_id = :p AND store_id = :s AND active")
                            .bind("p", projectId).bind("s", storeId).mapTo(String.class).findOne())
                    .map(id -> byId(id, projectId)).orElseThrow(() -> e);
        }
    }

    /** The raw key of a wrapped row, opened with whichever of this node's master KEKs wrapped it. */
    byte[] unwrapRaw(String id, String projectId, byte[] wrapped) {
        String masterId;
        try {
            masterId = WrappedKey.header(wrapped).masterKeyId();
        } catch (UnknownFormatException e) {
            throw new StoreException("project KEK " + id + ": " + e.getMessage(), e, true);
        }
        MasterKek master = ring.byId(masterId).orElseThrow(() -> new StoreException("project KEK " + id
                + " is wrapped by master KEK " + masterId + " but this node holds " + String.join(", ", ring.keyIds())
                + "; this node cannot read the project's secrets (they are intact: add that key's file to "
                + MasterKeyring.PREVIOUS_OPTION + ", or run the node with the right KEK)", null, false));
        try {
            return WrappedKey.unwrap(master.aead(), wrapped, aad(storeId, projectId, id));
        } catch (AEADBadTagException e) {
            throw new StoreException("project KEK " + id + " failed authentication: its row was altered", e, true);
        }
    }

    private ProjectKek unwrap(String id, String projectId, byte[] wrapped) {
        return new ProjectKek(id, projectId, Aead.of(new SecretKeySpec(unwrapRaw(id, projectId, wrapped), "AES")));
    }

    static byte[] aad(String storeId, String projectId, String kekId) {
        return AssociatedData.of("portcullis project KEK v1", storeId, projectId, kekId);
    }

    private void remember(ProjectKek kek) {
        if (byId.size() > CACHE_LIMIT) {
            byId.clear();
        }
        byId.put(kek.id(), kek);
    }
}
