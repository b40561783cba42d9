package org.portcullis.acl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.portcullis.ids.TimeOrderedIds;

/** Rows of {@code acls} and {@code acl_users}. */
public final class AclRepository {

    public List<Acl> find(Handle h, AclEntity.Kind kind, String entityId) {
        Map<String, Acl> byId = new LinkedHashMap<>();
        h.createQuery("SELECT id, operation, project_access, created_at, updated_at FROM acls "
                        + "WHERE entity_type = :t AND entity_id = :e ORDER BY operation")
                .bind("t", kind.policyName()).bind("e", entityId)
                .map((rs, ctx) -> new Acl(rs.getString("id"), rs.getString("operation"), rs.getBoolean("project_access"),
                        List.of(), rs.getLong("created_at"), rs.getLong("updated_at")))
                .forEach(a -> byId.put(a.id(), a));
        if (byId.isEmpty()) {
            return List.of();
        }
        Map<String, List<String>> users = new LinkedHashMap<>();
        h.createQuery("SELECT acl_id, user_id FROM acl_users WHERE acl_id IN (<ids>) ORDER BY user_id")
                .bindList("ids", new ArrayList<>(byId.keySet()))
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> users.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        List<Acl> out = new ArrayList<>();
        for (Acl a : byId.values()) {
            out.add(new Acl(a.id(), a.operation(), a.projectAccess(), users.getOrDefault(a.id(), List.of()),
                    a.createdAt(), a.updatedAt()));
        }
        return out;
    }

    /** The ids of the entities of one kind that have an ACL row. */
    public java.util.Set<String> entitiesWithAcls(Handle h, AclEntity.Kind kind) {
        return new java.util.HashSet<>(h.createQuery("SELECT DISTINCT entity_id FROM acls WHERE entity_type = :t")
                .bind("t", kind.policyName()).mapTo(String.class).list());
    }

    /** The read ACL of an entity as one caller sees it: (caller listed?, project access?). */
    public Optional<ReadAcl> readAcl(Handle h, AclEntity.Kind kind, String entityId, String userId) {
        return h.createQuery("SELECT a.project_access, "
                        + "EXISTS (SELECT 1 FROM acl_users u WHERE u.acl_id = a.id AND u.user_id = :u) AS listed "
                        + "FROM acls a WHERE a.entity_type = :t AND a.entity_id = :e AND a.operation = 'read'")
                .bind("t", kind.policyName()).bind("e", entityId).bind("u", userId == null ? "" : userId)
                .map((rs, ctx) -> new ReadAcl(rs.getBoolean(1), rs.getBoolean(2)))
                .findOne();
    }

    /** A read ACL reduced to what a policy decision needs. */
    public record ReadAcl(boolean projectAccess, boolean callerListed) {}

    /**
     * Sets one operation's ACL. {@code projectAccess} null keeps the current value (PATCH);
     * {@code users} null keeps the current users, otherwise replaces them.
     */
    public void upsert(Handle h, AclEntity.Kind kind, String entityId, String operation, Boolean projectAccess,
            Set<String> users, long now) {
        Optional<String> existing = h.createQuery("SELECT id FROM acls WHERE entity_type = :t AND entity_id = :e "
                        + "AND operation = :o")
                .bind("t", kind.policyName()).bind("e", entityId).bind("o", operation).mapTo(String.class).findOne();
        String id;
        if (existing.isPresent()) {
            id = existing.get();
            var update = h.createUpdate("UPDATE acls SET updated_at = :now"
                    + (projectAccess != null ? ", project_access = :pa" : "") + " WHERE id = :id");
            if (projectAccess != null) {
                update.bind("pa", projectAccess);
            }
            update.bind("now", now).bind("id", id).execute();
        } else {
            id = TimeOrderedIds.next(now);
            h.createUpdate("INSERT INTO acls (id, entity_type, entity_id, operation, project_access, created_at, "
                            + "updated_at) VALUES (:id, :t, :e, :o, :pa, :now, :now)")
                    .bind("id", id).bind("t", kind.policyName()).bind("e", entityId).bind("o", operation)
                    .bind("pa", projectAccess == null || projectAccess).bind("now", now).execute();
        }
        if (users != null) {
            h.createUpdate("DELETE FROM acl_users WHERE acl_id = :id").bind("id", id).execute();
            for (String user : users) {
                h.createUpdate("INSERT INTO acl_users (acl_id, user_id, created_at) VALUES (:id, :u, :now)")
                        .bind("id", id).bind("u", user).bind("now", now).execute();
            }
        }
    }

    /** Removes the ACLs of an entity, except the operations in {@code keep}. */
    public void deleteAll(Handle h, AclEntity.Kind kind, String entityId, Set<String> keep) {
        List<String> ids = h.createQuery("SELECT id, operation FROM acls WHERE entity_type = :t AND entity_id = :e")
                .bind("t", kind.policyName()).bind("e", entityId)
                .map((rs, ctx) -> keep.contains(rs.getString(2)) ? null : rs.getString(1))
                .list().stream().filter(java.util.Objects::nonNull).toList();
        for (String id : ids) {
            h.createUpdate("DELETE FROM acl_users WHERE acl_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM acls WHERE id = :id").bind("id", id).execute();
        }
    }
}
