package org.portcullis.stores;

import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The position of a walk over a store's secrets in the order of its (store_id, created_at, id)
 * index (V28): the key of the last row the walk has seen. Store migration, a rotation's usage
 * count and the orphans check page with it, so each page is an index range read from where the
 * last one ended, never an OFFSET that reads every row before it again.
 *
 * <p>The contract, for a walk that reads pages with {@link #NEXT_PAGE} and moves to {@link #at}
 * the last row of each until a page comes back empty:
 * <ul>
 *   <li>No row is returned twice, and none is skipped that exists when the walk starts and still
 *       matches when the walk reaches its key: (created_at, id) is unique (id is the primary key)
 *       and never changes, and every page starts strictly after the last key seen, so rows that
 *       share a created_at are split across pages by id without loss or repeat.</li>
 *   <li>A row created during the walk is returned when its key is after the cursor at the time the
 *       page that would hold it is read, and not otherwise. New ids are in creation order
 *       (ids/TimeOrderedIds), but one created in the millisecond of the cursor's row may still have
 *       a smaller id, and another node's clock may be behind: such a row is behind the cursor and is
 *       left to the next walk. Callers say what that means for them (the next migration run takes
 *       it; a count is as of the walk).</li>
 *   <li>A row that leaves the walk's condition (migrated to another store, deleted) before its page
 *       is read is simply not returned; one that leaves it after is not seen again.</li>
 * </ul>
 */
public record StoreCursor(long createdAt, String id) {
    /** Before every row: the smallest created_at, and an id below every id. */
    public static final StoreCursor START = new StoreCursor(Long.MIN_VALUE, "");

    /**
     * What follows a query's WHERE over {@code secrets} (unaliased) to read the next page: the
     * rows after the cursor, in index order, at most {@code :cursor_n} of them. Bind it with
     * {@link #bind}.
     */
    public static final String NEXT_PAGE =
            " AND (created_at, id) > (:cursor_at, :cursor_id) ORDER BY created_at, id LIMIT :cursor_n";

    /** The cursor at a row, to continue after it. */
    public static StoreCursor at(long createdAt, String id) {
        return new StoreCursor(createdAt, id);
    }

    /** Binds {@link #NEXT_PAGE}'s parameters: this position and the page size. */
    public <S extends SqlStatement<S>> S bind(S statement, int pageSize) {
        return statement.bind("cursor_at", createdAt).bind("cursor_id", id).bind("cursor_n", pageSize);
    }
}
