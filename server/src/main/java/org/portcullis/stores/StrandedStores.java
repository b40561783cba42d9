package org.portcullis.stores;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.portcullis.config.ConfigException;
import org.portcullis.db.Database;
import org.portcullis.db.PlainQuery;

/**
 * Refuses a configuration that dropped a store which still holds secrets or is some project's
 * preferred store. Without this check the node would start, every such secret would answer 500
 * and the health check would still say OK; the only way out is to put the store back and run
 * {@code manage store migrate}, which reads the old store.
 */
final class StrandedStores {
    /** A secret that still needs its store: it has a payload, or may still get one (not purged). */
    private static final String LIVE = " AND (payload IS NOT NULL OR payload_erased_at IS NULL)";

    private StrandedStores() {}

    /** What still depends on a store the configuration no longer names. */
    record Dependents(String storeName, String storeId, long secrets, long projects, long preferredBy) {}

    static void refuseIfAny(Database db, Set<String> configuredNames) {
        List<Dependents> stranded = find(db, configuredNames);
        if (stranded.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (Dependents d : stranded) {
            parts.add("secret store '" + d.storeName() + "' (" + d.storeId() + ") is no longer configured but still holds "
                    + d.secrets() + " secret(s) of " + d.projects() + " project(s)"
                    + (d.preferredBy() > 0 ? " and is the preferred store of " + d.preferredBy() + " project(s)" : "")
                    + "; those secrets would answer errors. Put its [secretstore:" + d.storeName() + "] section back, "
                    + "then move them with: portcullis manage store migrate --config FILE --from "
                    + d.storeName() + " --to <a configured store> --set-preferred; drop the store once it holds nothing");
        }
        throw new ConfigException(String.join("; ", parts));
    }

    /**
     * Start-up's statements run as plain JDBC ({@link PlainQuery}), not through Jdbi: Jdbi's first
     * statement registers its flight-recorder event, a tenth of a second of the main thread's CPU
     * before serving, which the node now pays after it listens. A normal start runs only the first
     * query; a dropped store's three counts are read in one transaction, so they agree.
     */
    static List<Dependents> find(Database db, Set<String> configuredNames) {
        List<String[]> rows = db.readConnection(conn -> PlainQuery.query(conn,
                "SELECT id, name FROM secret_stores ORDER BY name", rs -> {
                    List<String[]> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                    return out;
                }));
        List<Dependents> out = new ArrayList<>();
        for (String[] row : rows) {
            if (!configuredNames.contains(row[1])) {
                Dependents d = db.read(h -> dependents(h.getConnection(), row[0], row[1]));
                if (d.secrets() > 0 || d.preferredBy() > 0) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static Dependents dependents(Connection conn, String storeId, String storeName) {
        long secrets = count(conn, "SELECT count(*) FROM secrets WHERE store_id = ? AND NOT deleted" + LIVE, storeId);
        long projects = count(conn, "SELECT count(DISTINCT project_id) FROM secrets WHERE store_id = ? AND NOT deleted"
                + LIVE, storeId);
        long preferred = count(conn, "SELECT count(*) FROM project_secret_store WHERE secret_store_id = ?", storeId);
        return new Dependents(storeName, storeId, secrets, projects, preferred);
    }

    private static long count(Connection conn, String sql, String storeId) {
        return PlainQuery.query(conn, sql, rs -> rs.next() ? rs.getLong(1) : 0L, storeId);
    }
}
