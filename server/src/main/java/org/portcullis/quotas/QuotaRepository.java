package org.portcullis.quotas;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/** Rows of {@code project_quotas}. */
public final class QuotaRepository {
    private static final String COLUMNS = "project_id, secrets, orders, containers, consumers, cas, created_at, updated_at";

    public Optional<ProjectQuota> find(Handle h, String projectId) {
        return h.createQuery("SELECT " + COLUMNS + " FROM project_quotas WHERE project_id = :p")
                .bind("p", projectId).map((rs, ctx) -> map(rs)).findOne();
    }

    /**
     * The project's own quota for one resource: null when it has no record or left that quota
     * unset. One column, for the check inside a write transaction (the writer waits on it).
     */
    public Integer own(Handle h, String projectId, Resource resource) {
        // The column name comes from the enum, never from a caller's text.
        return h.createQuery("SELECT " + resource.apiName() + " FROM project_quotas WHERE project_id = :p")
                .bind("p", projectId).map((rs, ctx) -> {
                    int v = rs.getInt(1);
                    return rs.wasNull() ? Optional.<Integer>empty() : Optional.of(v);
                }).findOne().flatMap(v -> v).orElse(null);
    }

    /**
     * Creates the project's record or changes it; only the quotas given are written, the others
     * keep their value (null for a new record), as Barbican's update does. One statement, so two
     * administrators setting a new project's quotas at once cannot collide on the key.
     */
    public void upsert(Handle h, String projectId, Map<Resource, Integer> values, long now) {
        String columns = values.keySet().stream().map(r -> ", " + r.apiName()).collect(Collectors.joining());
        String binds = values.keySet().stream().map(r -> ", :" + r.apiName()).collect(Collectors.joining());
        String updates = values.keySet().stream().map(r -> r.apiName() + " = excluded." + r.apiName() + ", ")
                .collect(Collectors.joining());
        Update insert = h.createUpdate("INSERT INTO project_quotas (project_id, created_at, updated_at" + columns
                + ") VALUES (:p, :t, :t" + binds + ") ON CONFLICT (project_id) DO UPDATE SET " + updates
                + "updated_at = excluded.updated_at");
        values.forEach((r, v) -> insert.bind(r.apiName(), v));
        insert.bind("p", projectId).bind("t", now).execute();
    }

    /** False when the project has no record. */
    public boolean delete(Handle h, String projectId) {
        return h.createUpdate("DELETE FROM project_quotas WHERE project_id = :p").bind("p", projectId).execute() == 1;
    }

    /** One page of all projects' records, oldest first, and how many there are. */
    public Page list(Handle h, int limit, int offset) {
        int total = h.createQuery("SELECT count(*) FROM project_quotas").mapTo(Long.class).one().intValue();
        if (total <= offset) {
            return new Page(List.of(), total);
        }
        List<ProjectQuota> rows = h.createQuery("SELECT " + COLUMNS + " FROM project_quotas "
                        + "ORDER BY created_at, project_id LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset).map((rs, ctx) -> map(rs)).list();
        return new Page(rows, total);
    }

    public record Page(List<ProjectQuota> quotas, int total) {}

    // By position, in the order of COLUMNS: sqlite-jdbc resolves a column name by asking SQLite
    // for the names one by one, on every execution.
    private static ProjectQuota map(ResultSet rs) throws SQLException {
        return new ProjectQuota(rs.getString(1),
                new QuotaValues(nullableInt(rs, 2), nullableInt(rs, 3), nullableInt(rs, 4), nullableInt(rs, 5),
                        nullableInt(rs, 6)),
                rs.getLong(7), rs.getLong(8));
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
