package org.portcullis.stores;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.portcullis.config.ConfigException;
import org.portcullis.db.Database;

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

    static List<Dependents> find(Database db, Set<String> configuredNames) {
        return db.read(h -> {
            List<Dependents> out = new ArrayList<>();
            List<String[]> rows = h.createQuery("SELECT id, name FROM secret_stores ORDER BY name")
                    .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list();
            for (String[] row : rows) {
                if (configuredNames.contains(row[1])) {
                    continue;
                }
                long secrets = h.createQuery("SELECT count(*) FROM secrets WHERE store_id = :s AND NOT deleted"
                        + LIVE).bind("s", row[0]).mapTo(Long.class).one();
                long projects = h.createQuery("SELECT count(DISTINCT project_id) FROM secrets WHERE store_id = :s "
                        + "AND NOT deleted" + LIVE).bind("s", row[0]).mapTo(Long.class).one();
                long preferred = h.createQuery("SELECT count(*) FROM project_secret_store WHERE secret_store_id = :s")
                        .bind("s", row[0]).mapTo(Long.class).one();
                if (secrets > 0 || preferred > 0) {
                    out.add(new Dependents(row[1], row[0], secrets, projects, preferred));
                }
            }
            return out;
        });
    }
}
