package org.portcullis.secrets;

import org.jdbi.v3.core.Handle;

/**
 * How many live (not deleted) secrets each project has ({@code secret_counts}, migration V24), and
 * how many of them expire on each day ({@code secret_expiry_days}, V26), so that the total of an
 * unfiltered list is a sum of a few rows instead of a count of every row.
 *
 * <p>The database keeps the count, with triggers on {@code secrets} (V25, one script per kind of
 * database): every insert, soft delete, undelete and delete changes it in the writer's own
 * transaction, whichever code wrote the row — this release, a node of an older one still serving
 * during a rolling upgrade, an import, a restore. On PostgreSQL a project's count is spread over
 * slots, one per writing session (V27), so concurrent writers do not wait on one row's lock; reads sum them.
 */
public final class SecretCounts {
    private SecretCounts() {}

    /**
     * The project's ({@code :project}) live secrets not expired at {@code :now}: its count minus its
     * expired rows, those of the days before today from their count per day (V26) and only today's
     * one by one, so the cost does not grow with the expired rows a project keeps. One statement
     * (one snapshot: a delete committed between two reads cannot be seen by one and not the other),
     * a scalar subquery, so that a list can also use it inside the statement that reads its page.
     */
    static final String LISTABLE = "SELECT (SELECT coalesce(sum(live), 0) FROM secret_counts WHERE project_id = :project)"
            + " - (SELECT coalesce(sum(live), 0) FROM secret_expiry_days WHERE project_id = :project"
            + " AND day < :now / 86400000)"
            + " - (SELECT count(*) FROM secrets WHERE project_id = :project AND expiration IS NOT NULL AND NOT deleted"
            + " AND expiration >= :now / 86400000 * 86400000 AND expiration <= :now)";

    /** The project's live secrets as the counter says (for checks against a count of the rows). */
    public static long live(Handle h, String projectId) {
        return h.createQuery("SELECT coalesce(sum(live), 0) FROM secret_counts WHERE project_id = :p")
                .bind("p", projectId).mapTo(Long.class).one();
    }
}
