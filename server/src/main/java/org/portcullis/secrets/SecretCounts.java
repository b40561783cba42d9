package org.portcullis.secrets;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * How many live (not deleted) secrets each project has ({@code secret_counts}, migration V24), so
 * that the total of an unfiltered list is a sum of a few rows instead of a count of every row.
 * Every insert and soft delete of a secret changes it in its own transaction
 * ({@link SecretRepository} is the only place that does either).
 *
 * <p>A project's count is spread over slots: a writer adds to the slot of its database
 * connection. Two transactions never share a connection, so on PostgreSQL concurrent writers of
 * one project rarely touch the same row (a shared row would make each wait for the other's
 * commit); the slot only picks a row, the sum is exact whichever rows the changes went to.
 */
public final class SecretCounts {
    static final int SLOTS = 64;
    private static final String UPSERT = "INSERT INTO secret_counts (project_id, slot, live) ";
    private static final String ON_CONFLICT =
            " ON CONFLICT (project_id, slot) DO UPDATE SET live = secret_counts.live + excluded.live";

    private SecretCounts() {}

    /** Adds {@code delta} to {@code projectId}'s count. */
    static void add(Handle h, String projectId, long delta) {
        h.createUpdate(UPSERT + "VALUES (:p, :slot, :d)" + ON_CONFLICT)
                .bind("p", projectId).bind("slot", slot(h)).bind("d", delta).execute();
    }

    /** Adds each project's delta, in project order (two writers lock rows in the same order). */
    static void addAll(Handle h, Map<String, Long> deltas) {
        new TreeMap<>(deltas).forEach((p, d) -> {
            if (d != 0) {
                add(h, p, d);
            }
        });
    }

    /** One less for the project of secret {@code id} (just soft-deleted by the caller). */
    static void removed(Handle h, String id) {
        h.createUpdate(UPSERT + "SELECT project_id, :slot, -1 FROM secrets WHERE id = :id" + ON_CONFLICT)
                .bind("slot", slot(h)).bind("id", id).execute();
    }

    /**
     * The project's live, not expired secrets: its count minus its expired rows, in one statement
     * (one snapshot: a delete committed between two reads cannot be seen by one and not the other).
     */
    static int listable(Handle h, String projectId, long now) {
        return h.createQuery("SELECT (SELECT coalesce(sum(live), 0) FROM secret_counts WHERE project_id = :p) - "
                        + "(SELECT count(*) FROM secrets WHERE project_id = :p AND expiration IS NOT NULL "
                        + "AND NOT deleted AND expiration <= :now)")
                .bind("p", projectId).bind("now", now).mapTo(Integer.class).one();
    }

    /** The project's live secrets as the counter says (for checks against a count of the rows). */
    public static long live(Handle h, String projectId) {
        return h.createQuery("SELECT coalesce(sum(live), 0) FROM secret_counts WHERE project_id = :p")
                .bind("p", projectId).mapTo(Long.class).one();
    }

    private static int slot(Handle h) {
        try {
            // the pooled handle wraps a new proxy per checkout; the physical connection is stable
            Connection c = h.getConnection().unwrap(Connection.class);
            return Math.floorMod(System.identityHashCode(c), SLOTS);
        } catch (SQLException e) {
            return 0;
        }
    }
}
