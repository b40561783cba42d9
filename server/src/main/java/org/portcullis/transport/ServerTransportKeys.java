package org.portcullis.transport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;
import org.portcullis.ids.TimeOrderedIds;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.stores.StoredRef;

/**
 * Transport keys whose private half the server holds (plugin {@code portcullis}): an RSA-3072
 * key pair made on first use, the private key sealed by the global default store (bound to the
 * key's id), so wrapped payloads work on every store — Barbican's software store answers 500.
 */
public final class ServerTransportKeys {
    public static final String PLUGIN = "portcullis";
    private static final String OWNER = "portcullis:transport";

    private final Database db;
    private final StoreRegistry stores;
    private final Clock clock;
    private final Map<String, PrivateKey> unsealed = new ConcurrentHashMap<>();

    public ServerTransportKeys(Database db, StoreRegistry stores, Clock clock) {
        this.db = db;
        this.stores = stores;
        this.clock = clock;
    }

    /** The id of the key clients should wrap with now, made if there is none. */
    public String current() {
        return db.read(h -> h.createQuery("SELECT id FROM transport_keys WHERE plugin_name = :p AND private_key IS NOT NULL "
                        + "AND NOT deleted ORDER BY created_at DESC, id LIMIT 1")
                .bind("p", PLUGIN).mapTo(String.class).findOne())
                .orElseGet(this::create);
    }

    private String create() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            KeyPair pair = generator.generateKeyPair();
            long now = clock.millis();
            String id = TimeOrderedIds.next(now);
            SecretStore store = stores.globalDefault();
            StoredRef sealed = store.store(new SecretBinding(id, OWNER, store.info().id()), pair.getPrivate().getEncoded());
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
            // Part of the request that asked for it (transport_key_needed): sealing it may already
            // have opened that request's transaction (the project KEK of its owner is created
            // there), and the key commits with the request or not at all.
            db.change(h -> h.createUpdate("INSERT INTO transport_keys (id, plugin_name, transport_key, created_at, "
                            + "updated_at, deleted, private_key, store_id) VALUES (:id, :p, :k, :t, :t, :d, :pk, :s)")
                    .bind("id", id).bind("p", PLUGIN).bind("k", pem).bind("t", now).bind("d", false)
                    .bind("pk", sealed.bytes()).bind("s", store.info().id()).execute());
            db.afterCommit(() -> unsealed.put(id, pair.getPrivate()));
            return id;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation unavailable", e);
        }
    }

    /** The private key of a server transport key; 400 for a key the server does not hold. */
    public PrivateKey privateKey(String transportKeyId) {
        PrivateKey cached = unsealed.get(transportKeyId);
        if (cached != null) {
            return cached;
        }
        record Row(byte[] sealed, String storeId) {}
        Row row = db.read(h -> h.createQuery("SELECT private_key, store_id FROM transport_keys WHERE id = :id AND NOT deleted")
                        .bind("id", transportKeyId).map((rs, ctx) -> new Row(rs.getBytes(1), rs.getString(2))).findOne())
                .orElseThrow(() -> ApiException.badRequest("Provided transport key was not found."));
        if (row.sealed() == null) {
            throw ApiException.badRequest("Transport key " + transportKeyId + " was registered by an administrator; "
                    + "this server does not hold its private key. Use a key of plugin '" + PLUGIN + "'.");
        }
        byte[] pkcs8 = stores.holding(row.storeId())
                .retrieve(new SecretBinding(transportKeyId, OWNER, row.storeId()), new StoredRef(row.sealed()));
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            unsealed.put(transportKeyId, key);
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("transport key " + transportKeyId + " is unreadable", e);
        }
    }
}
