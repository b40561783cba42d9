package org.portcullis.orders;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.portcullis.http.Json;

/** Rows of {@code orders}; deleted orders are invisible. */
public final class OrderRepository {
    private static final String COLUMNS = "id, project_id, creator_id, type, meta, status, secret_id, container_id, "
            + "error_status_code, error_reason, created_at, updated_at";

    public void insert(Handle h, Order o) {
        h.createUpdate("INSERT INTO orders (" + COLUMNS + ", sub_status, sub_status_message, deleted) VALUES (:id, :p, "
                        + ":c, :t, :m, :s, :sid, :cid, :ec, :er, :ca, :ua, 'Unknown', 'Unknown', :d)")
                .bind("id", o.id()).bind("p", o.projectId()).bind("c", o.creatorId()).bind("t", o.type())
                .bind("m", o.meta().toString()).bind("s", o.status()).bind("sid", o.secretId())
                .bind("cid", o.containerId()).bind("ec", o.errorStatusCode()).bind("er", o.errorReason())
                .bind("ca", o.createdAt()).bind("ua", o.updatedAt()).bind("d", false)
                .execute();
    }

    public void finish(Handle h, String id, String status, String secretId, String containerId, String errorCode,
            String errorReason, long now) {
        h.createUpdate("UPDATE orders SET status = :s, secret_id = :sid, container_id = :cid, error_status_code = :ec, "
                        + "error_reason = :er, updated_at = :t WHERE id = :id")
                .bind("s", status).bind("sid", secretId).bind("cid", containerId).bind("ec", errorCode)
                .bind("er", errorReason).bind("t", now).bind("id", id).execute();
    }

    /** An order of {@code projectId}; other projects' orders do not exist for the caller. */
    public Optional<Order> find(Handle h, String projectId, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM orders WHERE id = :id AND project_id = :p AND NOT deleted")
                .bind("id", id).bind("p", projectId).map((rs, ctx) -> map(rs)).findOne();
    }

    public List<Order> list(Handle h, String projectId, int limit, int offset) {
        return h.createQuery("SELECT " + COLUMNS + " FROM orders WHERE project_id = :p AND NOT deleted "
                        + "ORDER BY created_at, id LIMIT :l OFFSET :o")
                .bind("p", projectId).bind("l", limit).bind("o", offset).map((rs, ctx) -> map(rs)).list();
    }

    public int count(Handle h, String projectId) {
        return h.createQuery("SELECT count(*) FROM orders WHERE project_id = :p AND NOT deleted")
                .bind("p", projectId).mapTo(Integer.class).one();
    }

    public boolean delete(Handle h, String id, long now) {
        return h.createUpdate("UPDATE orders SET deleted = :d, deleted_at = :t WHERE id = :id AND NOT deleted")
                .bind("d", true).bind("t", now).bind("id", id).execute() == 1;
    }

    private static Order map(ResultSet rs) throws SQLException {
        ObjectNode meta;
        try {
            meta = (ObjectNode) Json.MAPPER.readTree(rs.getString("meta"));
        } catch (Exception e) {
            throw new SQLException("order " + rs.getString("id") + " has unreadable meta", e);
        }
        return new Order(rs.getString("id"), rs.getString("project_id"), rs.getString("creator_id"),
                rs.getString("type"), meta, rs.getString("status"), rs.getString("secret_id"),
                rs.getString("container_id"), rs.getString("error_status_code"), rs.getString("error_reason"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
