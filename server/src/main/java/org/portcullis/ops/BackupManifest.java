package org.portcullis.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portcullis.config.PortcullisConfig.StoreSettings;
import org.portcullis.db.Database;

/**
 * {@code manifest.json} of a backup: when, which database kind and schema version, every store
 * with its secret count and the fingerprints of the keys it needs, and the list of what the
 * backup does NOT contain. Keys are never copied: a database backup is useless without them, and
 * a backup that carried them would hand every secret to whoever reads the backup.
 */
final class BackupManifest {
    static final String FILE = "manifest.json";
    static final int FORMAT = 1;

    private BackupManifest() {}

    static Map<String, Object> describe(OpsContext ops, String databaseFile) {
        Database db = ops.db();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("portcullis_backup_format", FORMAT);
        m.put("created_at", Instant.now().toString());
        m.put("database_kind", db.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("database_file", databaseFile);
        m.put("schema_version", schemaVersion(db));
        List<Map<String, Object>> stores = new ArrayList<>();
        List<String> notIncluded = new ArrayList<>();
        for (StoreSettings.Store s : ops.config().stores().stores()) {
            Map<String, Object> store = new LinkedHashMap<>();
            store.put("name", s.name());
            store.put("plugin", s.storePlugin() + (s.cryptoPlugin() == null ? "" : "/" + s.cryptoPlugin()));
            store.put("secrets", db.read(h -> h.createQuery("SELECT count(*) FROM secrets x JOIN secret_stores s ON "
                    + "s.id = x.store_id WHERE s.name = :n AND NOT x.deleted").bind("n", s.name()).mapTo(Long.class).one()));
            store.put("master_key_fingerprints", db.read(h -> h.createQuery("SELECT k.key_id || ' (' || k.state || ')' "
                    + "FROM master_keys k JOIN secret_stores s ON s.id = k.store_id WHERE s.name = :n ORDER BY k.created_at")
                    .bind("n", s.name()).mapTo(String.class).list()));
            stores.add(store);
            notIncluded.add(needs(s));
        }
        m.put("stores", stores);
        m.put("audit_key", ops.config().audit().hmacKeyFile() != null
                ? "file " + ops.config().audit().hmacKeyFile() + " (not in this backup)"
                : "derived from a software store's master KEK");
        notIncluded.add("the audit trail's files (" + ops.config().audit().file() + " and rotated ones) and its key: "
                + "without the key the trail cannot be verified");
        notIncluded.add("the configuration file itself");
        m.put("not_in_this_backup", notIncluded);
        return m;
    }

    private static String needs(StoreSettings.Store s) {
        String plugin = s.storePlugin() + (s.cryptoPlugin() == null ? "" : "/" + s.cryptoPlugin());
        return switch (plugin) {
            case "store_crypto/simple_crypto" -> "store '" + s.name() + "': its master KEK ("
                    + (s.kek() == null ? "?" : s.kek().file() != null ? "file " + s.kek().file() : s.kek().origin())
                    + "); without it every secret of the store is lost";
            case "store_crypto/p11_crypto" -> "store '" + s.name() + "': the HSM's MKEK and HMAC key objects ("
                    + s.options().string("mkek_label").orElse("?") + ", " + s.options().string("hmac_label").orElse("?")
                    + "), backed up with the HSM's own tools; without them every secret of the store is lost";
            case "kmip_plugin" -> "store '" + s.name() + "': the KMIP server's objects (back it up with the server); "
                    + "the database only holds their ids";
            case "vault_plugin" -> "store '" + s.name() + "': the Vault KV entries (Vault snapshot); the database only "
                    + "holds their paths";
            default -> "store '" + s.name() + "': whatever its backend holds";
        };
    }

    static String schemaVersion(Database db) {
        return db.read(h -> h.createQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL "
                + "ORDER BY installed_rank DESC").mapTo(String.class).findFirst().orElse("unknown"));
    }

    static String json(Map<String, Object> manifest) throws java.io.IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(manifest);
    }
}
