package org.portcullis.stores.pkcs11;

import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Handle;
import org.portcullis.db.Database;
import org.portcullis.stores.StoreException;
import org.portcullis.crypto.Aead;
import org.portcullis.crypto.AssociatedData;
import org.portcullis.crypto.Hmac;
import org.portcullis.crypto.TokenWrappedKey;
import org.portcullis.crypto.UnknownFormatException;

/**
 * The project KEKs of one PKCS#11 store, in {@code project_keks} like the software store's:
 * 32 random bytes (from the token's generator unless {@code aes_gcm_generate_iv = False}),
 * encrypted by the master KEK and authenticated by the HMAC key, both inside the token.
 *
 * <p>Wrapped form: {@link TokenWrappedKey}; its master id ({@link #masterId}) names the
 * (MKEK label, HMAC key) pair that wrapped the row.
 *
 * <p>Unwrapped keys are cached per node for {@code pkek_cache_ttl} seconds, at most
 * {@code pkek_cache_limit} of them (least recently used first out), as Barbican's p11 plugin does.
 */
final class HsmProjectKeys {
    static final int MASTER_ID_BYTES = TokenWrappedKey.MASTER_ID_BYTES;

    /** An unwrapped project KEK. */
    record ProjectKey(String id, String projectId, Aead aead) {}

    private record Cached(ProjectKey key, long expiresAt) {}

    private final Database db;
    private final String storeId;
    private final Pkcs11Token token;
    private final HsmKeyring ring;
    private final byte[] masterId;
    private final Clock clock;
    private final long ttlMillis;
    private final Map<String, Cached> byId;
    private final Map<String, Cached> activeByProject;

    HsmProjectKeys(Database db, String storeId, Pkcs11Token token, HsmKeyring ring, Clock clock) {
        this.db = db;
        this.storeId = storeId;
        this.token = token;
        this.ring = ring;
        this.masterId = HexFormat.of().parseHex(ring.current().masterId());
        this.clock = clock;
        this.ttlMillis = token.settings().pkekCacheTtlSeconds() * 1000L;
        int limit = token.settings().pkekCacheLimit();
        this.byId = lru(limit);
        this.activeByProject = lru(limit);
    }

    private static Map<String, Cached> lru(int limit) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > limit;
            }
        };
    }

    static SecretKey require(SecretKey key, String option, Pkcs11Token token) {
        if (key == null) {
            String label = option.equals("mkek_label") ? token.settings().mkekLabel() : token.settings().hmacLabel();
            throw new StoreException("the token no longer holds the key labelled '" + label + "' (" + option + "): "
                    + "secrets of this store cannot be decrypted until it is restored to the token", null);
        }
        return key;
    }

    String masterIdHex() {
        return HexFormat.of().formatHex(masterId);
    }

    /** The project's active KEK, created (and committed on its own) if it has none yet. */
    ProjectKey active(String projectId) {
        ProjectKey cached = cached(activeByProject, projectId);
        if (cached != null) {
            return cached;
        }
        ProjectKey key = db.read(h -> findActive(h, projectId)).orElseGet(() -> create(projectId));
        remember(key, true);
        return key;
    }

    /** The KEK a payload names, which must belong to {@code projectId}. */
    ProjectKey byId(String kekId, String projectId) {
        ProjectKey key = cached(byId, kekId);
        if (key == null) {
            key = db.read(h -> h.createQuery("SELECT id, project_id, wrapped FROM project_keks WHERE id = :id AND store_id = :s")
                            .bind("id", kekId).bind("s", storeId)
                            .map((rs, ctx) -> new Row(rs.getString("id"), rs.getString("project_id"), rs.getBytes("wrapped")))
                            .findOne())
                    .map(this::unwrap)
                    .orElseThrow(() -> new StoreException("the project KEK " + kekId + " that sealed this secret is "
                            + "missing from the database; the secret cannot be decrypted", null, true));
            remember(key, false);
        }
        if (!key.projectId().equals(projectId)) {
            throw new StoreException("payload sealed under another project's KEK", null, true);
        }
        return key;
    }

    private record Row(String id, String projectId, byte[] wrapped) {}

    private Optional<ProjectKey> findActive(Handle h, String projectId) {
        return h.createQuery("SELECT id, wrapped FROM project_keks WHERE project_id = :p AND store_id = :s AND active")
                .bind("p", projectId).bind("s", storeId)
                .map((rs, ctx) -> new Row(rs.getString("id"), projectId, rs.getBytes("wrapped")))
                .findOne()
                .map(this::unwrap);
    }

    private ProjectKey create(String projectId) {
        String id = UUID.randomUUID().toString();
        byte[][] out = new byte[2][];
        out[0] = newKey();
        out[1] = wrapRaw(id, projectId, out[0]);
        byte[] wrapped = out[1];
        long now = clock.millis();
        try {
            db.write(h -> h.createUpdate("INSERT INTO project_keks (id, project_id, store_id, master_key_id, wrapped, "
                            + "active, created_at, updated_at) VALUES (:id, :p, :s, :m, :w, :a, :t, :t)")
                    .bind("id", id).bind("p", projectId).bind("s", storeId).bind("m", masterIdHex())
                    .bind("w", wrapped).bind("a", true).bind("t", now)
                    .execute());
            return new ProjectKey(id, projectId, Aead.of(new SecretKeySpec(out[0], "AES")));
        } catch (RuntimeException e) {
            // Another request or node created it first: use theirs.
            return db.read(h -> findActive(h, projectId)).orElseThrow(() -> e);
        } finally {
            Arrays.fill(out[0], (byte) 0);
        }
    }

    private ProjectKey unwrap(Row row) {
        byte[] raw = unwrapRaw(row.id(), row.projectId(), row.wrapped());
        try {
            return new ProjectKey(row.id(), row.projectId(), Aead.of(new SecretKeySpec(raw, "AES")));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** 32 random bytes from the token's generator (or the JCE's, as configured) for a new project KEK. */
    byte[] newKey() {
        try {
            return token.call("generating a project KEK", s -> {
                byte[] raw = new byte[32];
                s.random().nextBytes(raw);
                return raw;
            });
        } catch (AEADBadTagException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Wraps a project KEK under the current MKEK and HMAC key, in the token. */
    byte[] wrapRaw(String id, String projectId, byte[] raw) {
        byte[] aad = aad(projectId, id);
        try {
            return token.call("wrapping a project KEK", s -> TokenWrappedKey.wrap(
                    Aead.inToken(require(s.mkek(), "mkek_label", token), s.provider(), s.random()),
                    Hmac.inToken(require(s.hmac(), "hmac_label", token), s.provider()), masterId, raw, aad));
        } catch (AEADBadTagException e) {
            throw new IllegalStateException(e); // encryption does not authenticate anything
        }
    }

    /** The raw project KEK of a row, opened with whichever (current or previous) key pair wrapped it. */
    byte[] unwrapRaw(String id, String projectId, byte[] w) {
        String rowMaster;
        try {
            rowMaster = TokenWrappedKey.header(w).masterId();
        } catch (UnknownFormatException e) {
            throw new StoreException("project KEK " + id + ": " + e.getMessage() + "; its row was altered or "
                    + "written by another plugin", e, true);
        }
        HsmKeyring.Pair pair = ring.byId(rowMaster).orElseThrow(() -> new StoreException("project KEK " + id
                + " is wrapped by master key " + rowMaster + " but this store's mkek_label/hmac_label (and "
                + HsmKeyring.PREVIOUS_MKEKS + ") give " + String.join(", ", ring.ids()) + "; this node cannot read the "
                + "project's secrets (they are intact: configure the labels that wrapped them)", null, false));
        boolean current = pair.equals(ring.current());
        byte[] aad = aad(projectId, id);
        try {
            return token.call("unwrapping a project KEK", s -> TokenWrappedKey.unwrap(
                    Aead.inToken(current ? require(s.mkek(), "mkek_label", token)
                            : HsmKeyring.require(HsmKeyring.key(s, pair.mkekLabel()), pair.mkekLabel()), s.provider(),
                            s.random()),
                    Hmac.inToken(current ? require(s.hmac(), "hmac_label", token)
                            : HsmKeyring.require(HsmKeyring.key(s, pair.hmacLabel()), pair.hmacLabel()), s.provider()),
                    w, aad));
        } catch (AEADBadTagException e) {
            throw new StoreException("project KEK " + id + " failed its HMAC check in the HSM: its row in "
                    + "project_keks was altered (tampering) or moved; the project's secrets in this store cannot be "
                    + "read until the row is restored", e, true);
        }
    }

    private byte[] aad(String projectId, String kekId) {
        return AssociatedData.of("portcullis p11 project KEK v1", storeId, projectId, kekId);
    }

    private synchronized ProjectKey cached(Map<String, Cached> map, String key) {
        Cached c = map.get(key);
        if (c == null) {
            return null;
        }
        if (clock.millis() >= c.expiresAt()) {
            map.remove(key);
            return null;
        }
        return c.key();
    }

    private synchronized void remember(ProjectKey key, boolean active) {
        if (ttlMillis == 0) {
            return;
        }
        Cached c = new Cached(key, clock.millis() + ttlMillis);
        byId.put(key.id(), c);
        if (active) {
            activeByProject.put(key.projectId(), c);
        }
    }
}
