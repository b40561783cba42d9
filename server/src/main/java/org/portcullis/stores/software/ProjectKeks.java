package org.portcullis.stores.software;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Handle;
import org.portcullis.db.Database;
import org.portcullis.stores.StoreException;

/**
 * The project KEKs of one software store: created on a project's first secret, kept wrapped by
 * the master KEK in {@code project_keks}, unwrapped once per node and cached.
 *
 * <p>Wrapped form, version 1: {@code 0x01 | master key id (8) | nonce (12) | AES-GCM(kek) + tag},
 * associated data = store id, project id and project KEK id. The master key id tells a rotation
 * which master key a row still needs.
 */
final class ProjectKeks {
    static final byte WRAP_VERSION = 1;
    private static final int WRAP_HEADER = 1 + MasterKek.KEY_ID_BYTES;
    private static final int CACHE_LIMIT = 50_000;

    private final Database db;
    private final String storeId;
    private final MasterKek master;
    private final Clock clock;
    private final Map<String, ProjectKek> activeByProject = new ConcurrentHashMap<>();
    private final Map<String, ProjectKek> byId = new ConcurrentHashMap<>();

    ProjectKeks(Database db, String storeId, MasterKek master, Clock clock) {
        this.db = db;
        this.storeId = storeId;
        this.master = master;
        this.clock = clock;
    }

    /** The project's active KEK, created (and committed on its own) if it has none yet. */
    ProjectKek active(String projectId) {
        ProjectKek cached = activeByProject.get(projectId);
        if (cached != null) {
            return cached;
        }
        ProjectKek kek = db.read(h -> findActive(h, projectId)).orElseGet(() -> create(projectId));
        remember(kek, true);
        return kek;
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
            remember(cached, false);
        }
        if (!cached.projectId().equals(projectId)) {
            throw new StoreException("payload sealed under another project's KEK", null, true);
        }
        return cached;
    }

    private Optional<ProjectKek> findActive(Handle h, String projectId) {
        return h.createQuery("SELECT id, wrapped FROM project_keks WHERE project_id = :p AND store_id = :s AND active")
                .bind("p", projectId).bind("s", storeId)
                .map((rs, ctx) -> unwrap(rs.getString("id"), projectId, rs.getBytes("wrapped")))
                .findOne();
    }

    private ProjectKek create(String projectId) {
        String id = UUID.randomUUID().toString();
        byte[] raw = AesGcm.randomKeyBytes();
        byte[] header = ByteBuffer.allocate(WRAP_HEADER).put(WRAP_VERSION).put(master.keyIdBytes()).array();
        byte[] wrapped = AesGcm.seal(master.key(), header, raw, aad(projectId, id));
        long now = clock.millis();
        try {
            db.write(h -> h.createUpdate("INSERT INTO project_keks (id, project_id, store_id, master_key_id, wrapped, "
                            + "active, created_at, updated_at) VALUES (:id, :p, :s, :m, :w, :a, :t, :t)")
                    .bind("id", id).bind("p", projectId).bind("s", storeId).bind("m", master.keyId())
                    .bind("w", wrapped).bind("a", true).bind("t", now)
                    .execute());
            return new ProjectKek(id, projectId, new SecretKeySpec(raw, "AES"));
        } catch (RuntimeException e) {
            // Another request or node created it first: use theirs.
            return db.read(h -> findActive(h, projectId)).orElseThrow(() -> e);
        }
    }

    private ProjectKek unwrap(String id, String projectId, byte[] wrapped) {
        if (wrapped.length < WRAP_HEADER || wrapped[0] != WRAP_VERSION) {
            throw new StoreException("project KEK " + id + " has an unknown wrap format", null, true);
        }
        byte[] masterId = new byte[MasterKek.KEY_ID_BYTES];
        System.arraycopy(wrapped, 1, masterId, 0, masterId.length);
        if (!java.util.Arrays.equals(masterId, master.keyIdBytes())) {
            throw new StoreException("project KEK " + id + " is wrapped by master KEK "
                    + java.util.HexFormat.of().formatHex(masterId) + " but this node holds " + master.keyId()
                    + "; this node cannot read the project's secrets (they are intact; run the node with the "
                    + "right KEK)", null, false);
        }
        try {
            byte[] raw = AesGcm.open(master.key(), wrapped, WRAP_HEADER, aad(projectId, id));
            return new ProjectKek(id, projectId, new SecretKeySpec(raw, "AES"));
        } catch (AEADBadTagException e) {
            throw new StoreException("project KEK " + id + " failed authentication: its row was altered", e, true);
        }
    }

    private byte[] aad(String projectId, String kekId) {
        return AssociatedData.of("portcullis project KEK v1", storeId, projectId, kekId);
    }

    private void remember(ProjectKek kek, boolean active) {
        if (byId.size() > CACHE_LIMIT) {
            byId.clear();
            activeByProject.clear();
        }
        byId.put(kek.id(), kek);
        if (active) {
            activeByProject.put(kek.projectId(), kek);
        }
    }
}
