package org.portcullis.secrets;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.portcullis.db.NamedQuery;

/**
 * The SQL of one secret list request: the rows it matches ({@code where}, with its {@code binds}),
 * how they are counted ({@code totalSql}) and the page asked for.
 */
record SecretListQuery(String where, Map<String, Object> binds, String totalSql, SecretFilter filter) {
    // The list's JSON shows neither a secret's project nor its store: NULL in their places (columns
    // are read by position), so that no list row carries the two ids across the driver.
    private static final String LISTED_COLUMNS = SecretRepository.COLUMNS
            .replace("payload", "payload IS NOT NULL AS has_payload")
            .replace("project_id", "NULL AS project_id").replace("store_id", "NULL AS store_id");

    /** The project's rows, or with {@code aclUser} those an ACL grants that user, live at {@code now}. */
    static SecretListQuery of(String projectId, String aclUser, SecretFilter f, long now) {
        StringBuilder where = new StringBuilder(aclUser == null
                ? " FROM secrets WHERE project_id = :project"
                : " FROM secrets WHERE id IN (SELECT a.entity_id FROM acls a JOIN acl_users u ON u.acl_id = a.id "
                        + "WHERE a.entity_type = 'secret' AND u.user_id = :user)");
        where.append(" AND NOT deleted AND (expiration IS NULL OR expiration > :now)");
        Map<String, Object> binds = new LinkedHashMap<>();
        binds.put(aclUser == null ? "project" : "user", aclUser == null ? projectId : aclUser);
        binds.put("now", now);
        condition(where, binds, "name", "name", f.name());
        condition(where, binds, "algorithm", "alg", f.algorithm());
        condition(where, binds, "mode", "mode", f.mode());
        condition(where, binds, "bit_length", "bits", f.bits());
        condition(where, binds, "secret_type", "type", f.secretType());
        int i = 0;
        for (SecretFilter.TimeCondition c : f.timeRanges()) {
            String bind = "t" + i++;
            where.append(" AND ").append(c.column()).append(' ').append(c.operator()).append(" :").append(bind);
            binds.put(bind, c.epochMillis());
        }
        // no filter: the project's counter, not a count of its rows (O(1) instead of O(rows))
        String totalSql = aclUser == null && f.unfiltered() ? SecretCounts.LISTABLE : "SELECT count(*)" + where;
        return new SecretListQuery(where.toString(), binds, totalSql, f);
    }

    /**
     * The page and the total, read in the caller's transaction (one snapshot for both statements),
     * as plain statements ({@link NamedQuery}: as Jdbi's, these two were most of the list's Java time
     * outside the driver).
     */
    SecretRepository.Page page(Handle h) {
        return page(h, total(h));
    }

    /** How many rows match. */
    int total(Handle h) {
        return NamedQuery.query(h, totalSql, binds, rs -> {
            rs.next();
            return rs.getInt(1);
        });
    }

    /** The page, {@code total} read before it in the same transaction. */
    SecretRepository.Page page(Handle h, int total) {
        if (total <= filter.offset()) {
            return new SecretRepository.Page(List.of(), total);
        }
        // An offset walks every index entry it skips: past the middle, the page is read from the
        // other end, in the reverse order, skipping total - offset - limit entries instead.
        boolean fromEnd = filter.offset() > total - filter.offset();
        String select = "SELECT " + LISTED_COLUMNS + where + order(fromEnd);
        Map<String, Object> pageBinds = new LinkedHashMap<>(binds);
        pageBinds.put("limit", filter.limit());
        pageBinds.put("offset", filter.offset());
        List<Secret> secrets = NamedQuery.query(h, fromEnd ? fromEnd(select) : select + " LIMIT :limit OFFSET :offset",
                pageBinds, rs -> {
                    List<Secret> rows = new ArrayList<>(filter.limit());
                    while (rs.next()) {
                        rows.add(SecretRepository.mapListed(rs));
                    }
                    return rows;
                });
        return new SecretRepository.Page(fromEnd ? secrets.reversed() : secrets, total);
    }

    /**
     * The first page (what almost every list asks for) with its total in ONE statement: the total
     * is a column, an uncorrelated subquery evaluated once, in the statement's own snapshot. Being
     * one statement it needs no transaction: on PostgreSQL one round trip instead of BEGIN, the
     * count, the page and COMMIT; on SQLite no BEGIN, COMMIT and autocommit toggles (each one
     * sqlite-jdbc's exec of a statement it parses again) and one statement's set-up instead of
     * two. Null when the page is empty (no row to carry the total): {@link #page} then counts on
     * its own, as for any other page.
     *
     * <p>The limit is written into the SQL (an int, at most Paging.MAX_LIMIT distinct values), not
     * bound: with LIMIT a parameter, PostgreSQL's cost of the generic plan (which must assume any
     * limit) never beat its custom plans, so the server planned this statement again on every
     * execution: 0.25-0.4 ms of planning for 0.07 ms of execution, and after each autoanalyze of
     * secrets 2-25 ms. Those binds were the list's slow PostgreSQL statements (log_min_duration_statement
     * 5 ms: 1,957 slow binds against 486 slow executes in one bench run). With the limit in the
     * text the server switches to its generic plan after five executions: 0.02 ms to bind.
     */
    SecretRepository.Page firstPage(Connection conn) {
        String sql = "SELECT " + LISTED_COLUMNS + ", CAST((" + totalSql + ") AS BIGINT) AS total"
                + where + order(false) + " LIMIT " + filter.limit();
        return NamedQuery.query(conn, sql, binds, rs -> {
            List<Secret> secrets = new ArrayList<>(filter.limit());
            int total = 0;
            while (rs.next()) {
                secrets.add(SecretRepository.mapListed(rs));
                total = rs.getInt(SecretRepository.FIRST_EXTRA);
            }
            return secrets.isEmpty() ? null : new SecretRepository.Page(secrets, total);
        });
    }

    private String order(boolean fromEnd) {
        StringBuilder order = new StringBuilder(" ORDER BY ");
        for (SecretFilter.SortKey key : filter.sort()) {
            order.append(key.column()).append(key.descending() != fromEnd ? " DESC, " : " ASC, ");
        }
        // id last: a unique tiebreak, so that the order and its reverse are total and exact mirrors
        return order.append(fromEnd ? "created_at DESC, id DESC" : "created_at ASC, id ASC").toString();
    }

    /**
     * The reversed page query: its LIMIT and OFFSET are counted from the total of the statement's
     * own snapshot, so that the page is exactly the forward query's even when rows were added or
     * deleted since {@code total} was read (PostgreSQL reads each statement in a snapshot of its own).
     */
    private String fromEnd(String reversed) {
        return "WITH n (total) AS MATERIALIZED (SELECT CAST((" + totalSql + ") AS BIGINT)) " + reversed
                + " LIMIT (SELECT CASE WHEN total - :offset <= 0 THEN 0 WHEN total - :offset < :limit "
                + "THEN total - :offset ELSE :limit END FROM n)"
                + " OFFSET (SELECT CASE WHEN total - :offset - :limit > 0 THEN total - :offset - :limit ELSE 0 END FROM n)";
    }

    private static void condition(StringBuilder where, Map<String, Object> binds, String column, String bind, Object value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = :").append(bind);
            binds.put(bind, value);
        }
    }
}
