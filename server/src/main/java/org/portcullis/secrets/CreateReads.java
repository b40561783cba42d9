package org.portcullis.secrets;

import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import org.portcullis.db.Database;
import org.portcullis.db.NamedQuery;

/**
 * What a create reads about its project before sealing — its own secrets quota, its preferred
 * store, its active project KEK in each store — in one statement. Three reads were three
 * statements and, outside a transaction, three connection checkouts and read transactions: a
 * fifth of a POST's CPU. Read fresh on every create, never cached: operator tools (quota changes,
 * {@code manage store migrate}, {@code manage kek rotate}) change these rows on a database that
 * several nodes share, while they serve. Shared instead: concurrent creates of a project wait for
 * one read that began after each of them did.
 */
final class CreateReads {
    static final String SQL = "SELECT 1 AS k, secrets AS n, NULL AS a, NULL AS b FROM project_quotas "
            + "WHERE project_id = :p "
            + "UNION ALL SELECT 2, NULL, secret_store_id, NULL FROM project_secret_store WHERE project_id = :p "
            + "UNION ALL SELECT 3, NULL, store_id, id FROM project_keks WHERE project_id = :p AND active";

    private CreateReads() {}

    /**
     * The project's rows as a create needs them.
     *
     * @param ownSecretsQuota the project's own secrets quota, null when it set none (the default applies)
     * @param preferredStore the store id the project chose, null when it chose none
     * @param activeKeks store id to the id of the project's active KEK there (stores with project KEKs)
     */
    record Project(Integer ownSecretsQuota, String preferredStore, Map<String, String> activeKeks) {
        Project {
            activeKeks = Map.copyOf(activeKeks); // one answer may go to several requests (Database#readShared)
        }
    }

    /** Which project's rows: the key under which concurrent creates share one read ({@link Database#readShared}). */
    record Key(String projectId) {}

    /** The project's rows, read after this call began, by one read that concurrent creates in the project share. */
    static Project shared(Database db, String projectId) {
        return db.readShared(new Key(projectId), conn -> read(conn, projectId));
    }

    /**
     * Read as a plain statement ({@link NamedQuery}): Jdbi's handle and statement machinery cost
     * more than SQLite's own work on these three index probes.
     */
    static Project read(Connection conn, String projectId) {
        return NamedQuery.query(conn, SQL, Map.of("p", projectId), rs -> {
            Integer quota = null;
            String preferred = null;
            Map<String, String> keks = new HashMap<>(2);
            while (rs.next()) {
                // By position: sqlite-jdbc resolves a column name by asking SQLite for each name.
                switch (rs.getInt(1)) {
                    case 1 -> {
                        int n = rs.getInt(2);
                        quota = rs.wasNull() ? null : n;
                    }
                    case 2 -> preferred = rs.getString(3);
                    default -> keks.put(rs.getString(3), rs.getString(4));
                }
            }
            return new Project(quota, preferred, keks);
        });
    }
}
