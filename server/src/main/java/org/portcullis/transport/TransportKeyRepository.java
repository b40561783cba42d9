package org.portcullis.transport;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** Rows of {@code transport_keys}. Deleted rows are invisible here. */
public final class TransportKeyRepository {
    private static final String COLUMNS = "id, plugin_name, transport_key, created_at, updated_at";

    public void insert(Handle h, TransportKey k) {
        h.createUpdate("INSERT INTO transport_keys (" + COLUMNS + ", deleted) "
                        + "VALUES (:id, :plugin, :key, :created, :updated, :deleted)")
                .bind("id", k.id()).bind("plugin", k.pluginName()).bind("key", k.transportKey())
                .bind("created", k.createdAt()).bind("updated", k.updatedAt()).bind("deleted", false)
                .execute();
    }

    public Optional<TransportKey> find(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM transport_keys WHERE id = :id AND NOT deleted")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    /** Soft delete, as Barbican; false if there is no such live key. */
    public boolean delete(Handle h, String id, long now) {
        return h.createUpdate("UPDATE transport_keys SET deleted = :d, deleted_at = :t, updated_at = :t "
                        + "WHERE id = :id AND NOT deleted")
                .bind("d", true).bind("t", now).bind("id", id).execute() == 1;
    }

    /** One page of live keys, oldest first, optionally of one plugin, and how many match in all. */
    public Page list(Handle h, String pluginName, int limit, int offset) {
        String where = " FROM transport_keys WHERE NOT deleted" + (pluginName == null ? "" : " AND plugin_name = :plugin");
        Query count = h.createQuery("SELECT count(*)" + where);
        if (pluginName != null) {
            count.bind("plugin", pluginName);
        }
        int total = count.mapTo(Long.class).one().intValue();
        if (total <= offset) {
            return new Page(List.of(), total);
        }
        Query page = h.createQuery("SELECT " + COLUMNS + where + " ORDER BY created_at, id LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset);
        if (pluginName != null) {
            page.bind("plugin", pluginName);
        }
        return new Page(page.map((rs, ctx) -> map(rs)).list(), total);
    }

    public record Page(List<TransportKey> keys, int total) {}

    private static TransportKey map(ResultSet rs) throws SQLException {
        return new TransportKey(rs.getString("id"), rs.getString("plugin_name"), rs.getString("transport_key"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
