package org.portcullis.containers;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.http.Paging;

/**
 * Rows of {@code containers}, {@code container_secrets} and {@code container_consumers}.
 * Deleted containers are invisible here.
 *
 * <p>On PostgreSQL, the checks that must still hold at commit (a referenced secret is live, a
 * container is live) take a share lock on the row they read, and the deletes of those rows lock
 * them before removing what references them. So a concurrent delete either waits for this
 * transaction and then removes its rows too, or this transaction waits for the delete and then
 * finds the row gone. SQLite has one writer at a time: nothing to lock.
 */
public final class ContainerRepository {
    private static final String COLUMNS = "id, project_id, creator_id, name, type, status, created_at, updated_at";

    private final String shareLock;

    public ContainerRepository(DatabaseSettings.Kind kind) {
        this.shareLock = kind == DatabaseSettings.Kind.POSTGRESQL ? " FOR SHARE" : "";
    }

    // ---- containers ---------------------------------------------------------------------------

    /** A container row (status ACTIVE) with its secrets, in their order. */
    public void insert(Handle h, String id, String projectId, String creatorId, String name, ContainerType type,
            List<ContainerSecret> secrets, long now) {
        h.createUpdate("INSERT INTO containers (" + COLUMNS + ", deleted) VALUES (:id, :project, :creator, :name, "
                        + ":type, :status, :t, :t, :deleted)")
                .bind("id", id).bind("project", projectId).bind("creator", creatorId).bind("name", name)
                .bind("type", type.apiName()).bind("status", "ACTIVE").bind("t", now).bind("deleted", false)
                .execute();
        if (secrets.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("INSERT INTO container_secrets (container_id, secret_id, name, position) "
                + "VALUES (:c, :s, :n, :p)");
        int position = 0;
        for (ContainerSecret s : secrets) {
            batch.bind("c", id).bind("s", s.secretId()).bind("n", s.name()).bind("p", position++).add();
        }
        batch.execute();
    }

    /** Gives an inserted container the status and times it had elsewhere (import from Barbican). */
    public void setImported(Handle h, String id, String status, long createdAt, long updatedAt) {
        h.createUpdate("UPDATE containers SET status = :s, created_at = :c, updated_at = :u WHERE id = :id")
                .bind("s", status).bind("c", createdAt).bind("u", updatedAt).bind("id", id).execute();
    }

    /** Whether a row with this id exists at all, deleted or not. */
    public boolean existsIncludingDeleted(Handle h, String id) {
        return h.createQuery("SELECT count(*) FROM containers WHERE id = :id").bind("id", id).mapTo(Integer.class).one() > 0;
    }

    public Optional<Container> find(Handle h, String id) {
        Optional<Row> row = h.createQuery("SELECT " + COLUMNS + " FROM containers WHERE id = :id AND NOT deleted")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne();
        return row.map(r -> r.with(secrets(h, List.of(id)).getOrDefault(id, List.of()),
                consumers(h, List.of(id)).getOrDefault(id, List.of())));
    }

    /** Whether the container is live; on PostgreSQL, keeps it so until commit. */
    public boolean lockLive(Handle h, String id) {
        return h.createQuery("SELECT id FROM containers WHERE id = :id AND NOT deleted" + shareLock)
                .bind("id", id).mapTo(String.class).findOne().isPresent();
    }

    /** One page of a project's live containers, oldest first, and how many match in all. */
    public Page list(Handle h, String projectId, ContainerFilter f) {
        StringBuilder where = new StringBuilder(" FROM containers WHERE project_id = :project AND NOT deleted");
        Map<String, Object> binds = new HashMap<>();
        binds.put("project", projectId);
        if (f.name() != null) {
            where.append(" AND name = :name");
            binds.put("name", f.name());
        }
        if (f.type() != null) {
            where.append(" AND type = :type");
            binds.put("type", f.type());
        }
        Query count = h.createQuery("SELECT count(*)" + where);
        binds.forEach(count::bind);
        int total = count.mapTo(Integer.class).one();
        if (total <= f.paging().offset()) {
            return new Page(List.of(), total);
        }
        Query page = h.createQuery("SELECT " + COLUMNS + where + " ORDER BY created_at, id LIMIT :limit OFFSET :offset");
        binds.forEach(page::bind);
        List<Row> rows = page.bind("limit", f.paging().limit()).bind("offset", f.paging().offset())
                .map((rs, ctx) -> row(rs)).list();
        List<String> ids = rows.stream().map(Row::id).toList();
        Map<String, List<ContainerSecret>> secrets = secrets(h, ids);
        Map<String, List<ContainerConsumer>> consumers = consumers(h, ids);
        List<Container> containers = rows.stream()
                .map(r -> r.with(secrets.getOrDefault(r.id(), List.of()), consumers.getOrDefault(r.id(), List.of())))
                .toList();
        return new Page(containers, total);
    }

    /** A page of containers and the total number matching the query. */
    public record Page(List<Container> containers, int total) {}

    /**
     * Soft delete, as Barbican; the container's secret references, consumers and ACL go with it
     * (the secrets themselves stay). Scoped to the caller's project; false if there is no such live
     * container there.
     */
    public boolean delete(Handle h, String id, String projectId, long now) {
        // The container row first: on PostgreSQL its lock makes a concurrent consumer or secret
        // insert for it wait, then find it deleted.
        int deleted = h.createUpdate("UPDATE containers SET deleted = :d, deleted_at = :t, updated_at = :t "
                        + "WHERE id = :id AND project_id = :project AND NOT deleted")
                .bind("d", true).bind("t", now).bind("id", id).bind("project", projectId).execute();
        if (deleted != 1) {
            return false;
        }
        h.createUpdate("DELETE FROM container_secrets WHERE container_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM container_consumers WHERE container_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM acl_users WHERE acl_id IN (SELECT id FROM acls WHERE entity_type = 'container' "
                + "AND entity_id = :id)").bind("id", id).execute();
        h.createUpdate("DELETE FROM acls WHERE entity_type = 'container' AND entity_id = :id").bind("id", id).execute();
        return true;
    }

    /** Live containers of a project (what a container quota counts). */
    public int countLive(Handle h, String projectId) {
        return h.createQuery("SELECT count(*) FROM containers WHERE project_id = :p AND NOT deleted")
                .bind("p", projectId).mapTo(Integer.class).one();
    }

    // ---- secrets in containers ---------------------------------------------------------------

    /**
     * Whether the secret is live (not deleted, not expired) in the project; on PostgreSQL, keeps it
     * so until commit.
     */
    public boolean lockLiveSecret(Handle h, String secretId, String projectId, long now) {
        return h.createQuery("SELECT id FROM secrets WHERE id = :id AND project_id = :p AND NOT deleted "
                        + "AND (expiration IS NULL OR expiration > :now)" + shareLock)
                .bind("id", secretId).bind("p", projectId).bind("now", now).mapTo(String.class).findOne().isPresent();
    }

    /** The secret's entry in the container, if it is in it. */
    public Optional<ContainerSecret> secretEntry(Handle h, String containerId, String secretId) {
        return h.createQuery("SELECT name, secret_id FROM container_secrets WHERE container_id = :c AND secret_id = :s")
                .bind("c", containerId).bind("s", secretId)
                .map((rs, ctx) -> new ContainerSecret(rs.getString(1), rs.getString(2))).findOne();
    }

    /** Appends a secret to a container; false when the secret is in it already. */
    public boolean addSecret(Handle h, String containerId, String name, String secretId) {
        int next = h.createQuery("SELECT COALESCE(MAX(position) + 1, 0) FROM container_secrets WHERE container_id = :c")
                .bind("c", containerId).mapTo(Integer.class).one();
        return h.createUpdate("INSERT INTO container_secrets (container_id, secret_id, name, position) "
                        + "VALUES (:c, :s, :n, :p) ON CONFLICT (container_id, secret_id) DO NOTHING")
                .bind("c", containerId).bind("s", secretId).bind("n", name).bind("p", next).execute() == 1;
    }

    /** Removes the secret from the container if it is there under {@code name}; false otherwise. */
    public boolean removeSecret(Handle h, String containerId, String secretId, String name) {
        // Two statements rather than "name = :n OR :n IS NULL": PostgreSQL cannot type a null parameter.
        String sql = "DELETE FROM container_secrets WHERE container_id = :c AND secret_id = :s AND "
                + (name == null ? "name IS NULL" : "name = :n");
        var update = h.createUpdate(sql).bind("c", containerId).bind("s", secretId);
        if (name != null) {
            update.bind("n", name);
        }
        return update.execute() > 0;
    }

    /**
     * Takes a secret out of every container that references it: what deleting a secret does in
     * Barbican (the containers stay, one secret shorter). Call it in the transaction that deletes
     * the secret.
     */
    public static int removeSecretEverywhere(Handle h, String secretId) {
        // A no-op write that locks the secret's row on PostgreSQL: a container insert that checked
        // the secret (FOR SHARE) either commits first, and its rows are deleted below, or waits for
        // this transaction and then finds the secret deleted. Without it the two could interleave
        // and leave a container pointing at a deleted secret.
        h.createUpdate("UPDATE secrets SET updated_at = updated_at WHERE id = :s").bind("s", secretId).execute();
        return h.createUpdate("DELETE FROM container_secrets WHERE secret_id = :s").bind("s", secretId).execute();
    }

    private static Map<String, List<ContainerSecret>> secrets(Handle h, List<String> containerIds) {
        Map<String, List<ContainerSecret>> out = new HashMap<>();
        if (containerIds.isEmpty()) {
            return out;
        }
        h.createQuery("SELECT container_id, name, secret_id FROM container_secrets WHERE container_id IN (<ids>) "
                        + "ORDER BY container_id, position")
                .bindList("ids", containerIds)
                .map((rs, ctx) -> Map.entry(rs.getString(1), new ContainerSecret(rs.getString(2), rs.getString(3))))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    // ---- consumers ------------------------------------------------------------------------------

    private static final String CONSUMER_COLUMNS = "id, container_id, project_id, name, url, created_at, updated_at";

    /** Registers a consumer; false when the same name and URL are registered already. */
    public boolean addConsumer(Handle h, String id, String containerId, String projectId, ConsumerRef c, long now) {
        return h.createUpdate("INSERT INTO container_consumers (" + CONSUMER_COLUMNS + ") VALUES (:id, :c, :p, :n, "
                        + ":u, :t, :t) ON CONFLICT (container_id, name, url) DO NOTHING")
                .bind("id", id).bind("c", containerId).bind("p", projectId).bind("n", c.name()).bind("u", c.url())
                .bind("t", now).execute() == 1;
    }

    /** Marks the live container changed; false when it is gone. */
    public boolean touch(Handle h, String containerId, long now) {
        return h.createUpdate("UPDATE containers SET updated_at = :t WHERE id = :id AND NOT deleted")
                .bind("t", now).bind("id", containerId).execute() == 1;
    }

    public Optional<ContainerConsumer> consumer(Handle h, String containerId, ConsumerRef c) {
        return h.createQuery("SELECT " + CONSUMER_COLUMNS + " FROM container_consumers "
                        + "WHERE container_id = :c AND name = :n AND url = :u")
                .bind("c", containerId).bind("n", c.name()).bind("u", c.url())
                .map((rs, ctx) -> consumer(rs)).findOne();
    }

    public Optional<ContainerConsumer> consumerById(Handle h, String containerId, String consumerId) {
        return h.createQuery("SELECT " + CONSUMER_COLUMNS + " FROM container_consumers "
                        + "WHERE container_id = :c AND id = :id")
                .bind("c", containerId).bind("id", consumerId)
                .map((rs, ctx) -> consumer(rs)).findOne();
    }

    public boolean deleteConsumer(Handle h, String consumerId) {
        return h.createUpdate("DELETE FROM container_consumers WHERE id = :id").bind("id", consumerId).execute() == 1;
    }

    /** One page of a container's consumers, by name, and how many it has. */
    public ConsumerPage consumers(Handle h, String containerId, Paging paging) {
        int total = h.createQuery("SELECT count(*) FROM container_consumers WHERE container_id = :c")
                .bind("c", containerId).mapTo(Integer.class).one();
        if (total <= paging.offset()) {
            return new ConsumerPage(List.of(), total);
        }
        List<ContainerConsumer> page = h.createQuery("SELECT " + CONSUMER_COLUMNS + " FROM container_consumers "
                        + "WHERE container_id = :c ORDER BY name, url, id LIMIT :limit OFFSET :offset")
                .bind("c", containerId).bind("limit", paging.limit()).bind("offset", paging.offset())
                .map((rs, ctx) -> consumer(rs)).list();
        return new ConsumerPage(page, total);
    }

    /** A page of consumers and the total number of them. */
    public record ConsumerPage(List<ContainerConsumer> consumers, int total) {}

    /** Consumers registered by a project (what a consumer quota counts). */
    public int countConsumers(Handle h, String projectId) {
        return h.createQuery("SELECT count(*) FROM container_consumers WHERE project_id = :p")
                .bind("p", projectId).mapTo(Integer.class).one();
    }

    private static Map<String, List<ContainerConsumer>> consumers(Handle h, List<String> containerIds) {
        Map<String, List<ContainerConsumer>> out = new HashMap<>();
        if (containerIds.isEmpty()) {
            return out;
        }
        h.createQuery("SELECT " + CONSUMER_COLUMNS + " FROM container_consumers WHERE container_id IN (<ids>) "
                        + "ORDER BY container_id, name, url, id")
                .bindList("ids", containerIds)
                .map((rs, ctx) -> Map.entry(rs.getString("container_id"), consumer(rs)))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return out;
    }

    private static ContainerConsumer consumer(ResultSet rs) throws SQLException {
        return new ContainerConsumer(rs.getString("id"), rs.getString("project_id"), rs.getString("name"),
                rs.getString("url"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    // ---- rows -----------------------------------------------------------------------------------

    /** A container row before its secrets and consumers are attached. */
    private record Row(String id, String projectId, String creatorId, String name, ContainerType type, String status,
            long createdAt, long updatedAt) {
        Container with(List<ContainerSecret> secrets, List<ContainerConsumer> consumers) {
            return new Container(id, projectId, creatorId, name, type, status, createdAt, updatedAt, secrets, consumers);
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("id"), rs.getString("project_id"), rs.getString("creator_id"),
                rs.getString("name"), ContainerType.fromApi(rs.getString("type")), rs.getString("status"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
