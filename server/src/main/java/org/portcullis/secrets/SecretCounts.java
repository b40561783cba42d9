package org.portcullis.secrets;

import org.jdbi.v3.core.Handle;

/**
 * How many live (not deleted) secrets each project has ({@code secret_counts}, migration V24), so
 * that the total of an unfiltered list is a sum of a few rows instead of a count of every row.
 *
 * <p>The database keeps the count, with triggers on {@code secrets} (V25, one script per kind of
 * database): every insert, soft delete, undelete and delete changes it in the writer's own
 * transaction, whichever code wrote the row — this release, a node of an older one still serving
 * during a rolling upgrade, an import, a restore. On PostgreSQL a project's count is spread over
 * slots, one per server process, so concurrent writers rarely wait on one row's lock; reads sum them.
 */
public final class SecretCounts {
    private SecretCounts() {}

    /**
     * The project's ({@code :project}) live secrets not expired at {@code :now}: its count minus its
     * expired rows, in one statement (one snapshot: a delete committed between two reads cannot be
     * seen by one and not the other). A scalar subquery, so that a list can also use it inside the
     * statement that reads its page (the same snapshot on PostgreSQL too).
     */
    static final String LISTABLE = "SELECT (SELECT coalesce(sum(live), 0) FROM secret_counts WHERE project_id = :project) - "
            + "(SELECT count(*) FROM secrets WHERE project_id = :project AND expiration IS NOT NULL "
            + "AND NOT deleted AND expiration <= :now)";

    /** The project's live secrets as the counter says (for checks against a count of the rows). */
    public static long live(Handle h, String projectId) {
        return h.createQuery("SELECT coalesce(sum(live), 0) FROM secret_counts WHERE project_id = :p")
                .bind("p", projectId).mapTo(Long.class).one();
    }
}
