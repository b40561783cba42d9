package org.portcullis.secrets;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.portcullis.acl.AclRepository;
import org.portcullis.containers.ContainerRepository;
import org.portcullis.db.CommitStatement;
import org.portcullis.db.PlainQuery;
import org.portcullis.db.TextColumn;
import org.portcullis.ids.TimeOrderedIds;
import org.portcullis.stores.StoredRef;

/** Rows of {@code secrets} and {@code secret_metadata}. Deleted rows are invisible here. */
public final class SecretRepository {
    static final String COLUMNS = "id, project_id, creator_id, name, secret_type, algorithm, bit_length, mode, "
            + "expiration, status, store_id, content_type, payload, created_at, updated_at";
    private static final String QUALIFIED_COLUMNS = "s." + COLUMNS.replace(", ", ", s.");

    /** One new row; {@code deleted} is a literal, the same on both databases (SQLite reads FALSE as 0). */
    private static final String INSERT = "INSERT INTO secrets (" + COLUMNS + ", deleted) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)";

    public void insert(Handle h, Secret s) {
        PlainQuery.update(h.getConnection(), INSERT, List.of(row(s)));
    }

    /** {@link #insert} as a statement for the request's COMMIT ({@link org.portcullis.db.Database#changeAtCommit}). */
    CommitStatement insertAtCommit(Secret s) {
        return new CommitStatement(INSERT, row(s));
    }

    /** Many new rows in one prepared-statement batch (an import batch). */
    public void insertAll(Handle h, List<Secret> rows) {
        if (!rows.isEmpty()) {
            PlainQuery.update(h.getConnection(), INSERT, rows.stream().map(SecretRepository::row).toList());
        }
    }

    /** Binds {@code s} to {@link #INSERT}'s parameters: the one place the columns meet their values. */
    private static PlainQuery.Binder row(Secret s) {
        return ps -> {
            ps.setString(1, s.id());
            ps.setString(2, s.projectId());
            ps.setString(3, s.creatorId());
            ps.setString(4, s.name());
            ps.setString(5, s.secretType().apiName());
            ps.setString(6, s.algorithm());
            ps.setObject(7, s.bitLength(), Types.INTEGER);
            ps.setString(8, s.mode());
            ps.setObject(9, s.expiration(), Types.BIGINT);
            ps.setString(10, s.status());
            ps.setString(11, s.storeId());
            ps.setString(12, s.contentType());
            ps.setBytes(13, s.stored() == null ? null : s.stored().bytes());
            ps.setLong(14, s.createdAt());
            ps.setLong(15, s.updatedAt());
        };
    }

    public Optional<Secret> find(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM secrets WHERE id = :id AND NOT deleted")
                .bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    /** A live secret and its read ACL as {@code userId} sees it (empty: the secret has none). */
    public record WithReadAcl(Secret secret, Optional<AclRepository.ReadAcl> readAcl) {}

    /**
     * As {@link #find} plus {@link AclRepository#readAcl} for {@code userId}, in one statement:
     * every request on a secret needs both, and a statement costs more than a join.
     */
    public Optional<WithReadAcl> findWithReadAcl(Connection c, String id, String userId) {
        return PlainQuery.query(c, FIND_WITH_READ_ACL, rs -> rs.next()
                ? Optional.of(new WithReadAcl(map(rs), readAcl(rs, FIRST_EXTRA))) : Optional.empty(),
                userId == null ? "" : userId, id);
    }

    /** What a payload read needs of a live secret: the policy's fields, its expiry, where and how it is stored. */
    public record PayloadRow(String projectId, String creatorId, Long expiration, String storeId, String contentType,
            StoredRef stored, Optional<AclRepository.ReadAcl> readAcl) {
        boolean expiredAt(long now) {
            return expiration != null && expiration <= now;
        }
    }

    /**
     * As {@link #findWithReadAcl} with only the columns a payload read uses: sqlite-jdbc reads
     * every column's name through JNI on each execution, and the 15 columns of a whole row were
     * most of the statement's cost beside SQLite's own step.
     */
    public Optional<PayloadRow> findPayload(Connection c, String id, String userId) {
        return PlainQuery.query(c, FIND_PAYLOAD, rs -> {
            if (!rs.next()) {
                return Optional.empty();
            }
            long exp = rs.getLong(3);
            Long expiration = rs.wasNull() ? null : exp;
            byte[] payload = rs.getBytes(6);
            return Optional.of(new PayloadRow(text(rs, 1), text(rs, 2), expiration, text(rs, 4), text(rs, 5),
                    payload == null ? null : new StoredRef(payload), readAcl(rs, 7)));
        }, userId == null ? "" : userId, id);
    }

    /** The read ACL in columns {@code first} (project access, NULL without an ACL) and {@code first + 1} (listed). */
    private static Optional<AclRepository.ReadAcl> readAcl(ResultSet rs, int first) throws SQLException {
        boolean projectAccess = rs.getBoolean(first);
        return rs.wasNull() ? Optional.empty()
                : Optional.of(new AclRepository.ReadAcl(projectAccess, rs.getBoolean(first + 1)));
    }

    /** The read ACL's two columns, the join and the filter; parameters: user id, secret id. */
    private static final String READ_ACL_FROM = ", a.project_access AS acl_project_access, "
            + "EXISTS (SELECT 1 FROM acl_users u WHERE u.acl_id = a.id AND u.user_id = ?) AS acl_listed "
            + "FROM secrets s LEFT JOIN acls a ON a.entity_type = 'secret' AND a.entity_id = s.id "
            + "AND a.operation = 'read' WHERE s.id = ? AND NOT s.deleted";

    /**
     * Built once: every payload read runs it, and a text concatenated per call was a new 600-byte
     * string whose hash each statement cache lookup computed again.
     */
    private static final String FIND_WITH_READ_ACL = "SELECT " + QUALIFIED_COLUMNS + READ_ACL_FROM;
    private static final String FIND_PAYLOAD = "SELECT s.project_id, s.creator_id, s.expiration, s.store_id, "
            + "s.content_type, s.payload" + READ_ACL_FROM;

    /** The live rows among {@code ids} (an import looks at a batch at once). */
    public Map<String, Secret> findLive(Handle h, java.util.Collection<String> ids) {
        Map<String, Secret> out = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            h.createQuery("SELECT " + COLUMNS + " FROM secrets WHERE id IN (<ids>) AND NOT deleted")
                    .bindList("ids", new ArrayList<>(ids)).map((rs, ctx) -> map(rs)).forEach(s -> out.put(s.id(), s));
        }
        return out;
    }

    /** Which of {@code ids} have a row, deleted or not (an import must not reuse a deleted id). */
    public java.util.Set<String> existingIds(Handle h, java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(h.createQuery("SELECT id FROM secrets WHERE id IN (<ids>)")
                .bindList("ids", new ArrayList<>(ids)).mapTo(String.class).list());
    }

    /** The secrets that have at least one consumer. */
    public java.util.Set<String> withConsumers(Handle h) {
        return new java.util.HashSet<>(h.createQuery("SELECT DISTINCT secret_id FROM secret_consumers")
                .mapTo(String.class).list());
    }

    /** A consumer with the id and times it had elsewhere (import from Barbican). */
    public void importConsumer(Handle h, String id, String secretId, String projectId, SecretConsumer c, long createdAt,
            long updatedAt) {
        h.createUpdate("INSERT INTO secret_consumers (id, secret_id, project_id, service, resource_type, resource_id, "
                        + "created_at, updated_at) VALUES (:id, :s, :p, :sv, :rt, :ri, :c, :u)")
                .bind("id", id).bind("s", secretId).bind("p", projectId).bind("sv", c.service())
                .bind("rt", c.resourceType()).bind("ri", c.resourceId()).bind("c", createdAt).bind("u", updatedAt)
                .execute();
    }

    /**
     * Sets the payload, sealed by store {@code storeId}, of a secret that has none; false when it
     * has one already, is gone, or was moved to another store meanwhile.
     */
    public boolean setPayload(Handle h, String id, String storeId, String contentType, StoredRef stored, long now) {
        return h.createUpdate("UPDATE secrets SET payload = :p, content_type = :ct, updated_at = :t "
                        + "WHERE id = :id AND store_id = :s AND payload IS NULL AND NOT deleted")
                .bind("p", stored.bytes()).bind("ct", contentType).bind("t", now).bind("id", id).bind("s", storeId)
                .execute() == 1;
    }

    /** Soft delete, as Barbican; the ciphertext is erased with it. False if already gone. */
    public boolean delete(Handle h, String id, long now) {
        return delete(h, id, null, now);
    }

    /**
     * As {@link #delete(Handle, String, long)}, only while the secret is in store {@code storeId}
     * (null: any): the caller destroys the payload of that store afterwards.
     */
    public boolean delete(Handle h, String id, String storeId, long now) {
        ContainerRepository.removeSecretEverywhere(h, id); // the secret leaves its containers, as in Barbican
        h.createUpdate("DELETE FROM secret_metadata WHERE secret_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM secret_consumers WHERE secret_id = :id").bind("id", id).execute();
        h.createUpdate("DELETE FROM acl_users WHERE acl_id IN (SELECT id FROM acls WHERE entity_type = 'secret' "
                + "AND entity_id = :id)").bind("id", id).execute();
        h.createUpdate("DELETE FROM acls WHERE entity_type = 'secret' AND entity_id = :id").bind("id", id).execute();
        return h.createUpdate("UPDATE secrets SET deleted = :d, deleted_at = :t, updated_at = :t, payload = NULL "
                        + "WHERE id = :id AND NOT deleted" + (storeId == null ? "" : " AND store_id = :s"))
                .bind("d", true).bind("t", now).bind("id", id).bind("s", storeId).execute() == 1;
    }

    /**
     * One page of live (not deleted, not expired) secrets, and how many match in all: the
     * project's, or with {@code aclUser} those an ACL grants that user, whatever their project.
     */
    public Page list(Handle h, String projectId, String aclUser, SecretFilter f, long now) {
        return SecretListQuery.of(projectId, aclUser, f, now).page(h);
    }

    /** A page of secrets and the total number matching the query. */
    public record Page(List<Secret> secrets, int total) {}

    // Every query of rows selects COLUMNS first, in this order: columns are read by position, since
    // sqlite-jdbc resolves a name by asking SQLite for the column names one by one, per execution.
    private static final int PAYLOAD = 13;
    static final int FIRST_EXTRA = 16;

    private static Secret map(ResultSet rs) throws SQLException {
        byte[] payload = rs.getBytes(PAYLOAD);
        return row(rs, payload == null ? null : new StoredRef(payload));
    }

    /**
     * Listing never reads ciphertext; a marker (in the payload's place) says whether there is one.
     * A list row's project and store ids are null: the list's JSON shows neither (SecretListQuery).
     */
    static Secret mapListed(ResultSet rs) throws SQLException {
        return row(rs, rs.getBoolean(PAYLOAD) ? PRESENT : null);
    }

    private static final StoredRef PRESENT = new StoredRef(new byte[0]);

    private static Secret row(ResultSet rs, StoredRef stored) throws SQLException {
        int bits = rs.getInt(7);
        Integer bitLength = rs.wasNull() ? null : bits;
        long exp = rs.getLong(9);
        Long expiration = rs.wasNull() ? null : exp;
        return new Secret(text(rs, 1), text(rs, 2), text(rs, 3), text(rs, 4),
                SecretType.fromApi(text(rs, 5)), text(rs, 6), bitLength, text(rs, 8), expiration,
                text(rs, 10), text(rs, 11), text(rs, 12), stored, rs.getLong(14), rs.getLong(15));
    }

    private static String text(ResultSet rs, int index) throws SQLException {
        return TextColumn.get(rs, index);
    }

    // ---- user metadata ---------------------------------------------------------------------

    public Map<String, String> metadata(Handle h, String secretId) {
        Map<String, String> out = new LinkedHashMap<>();
        h.createQuery("SELECT meta_key, meta_value FROM secret_metadata WHERE secret_id = :id ORDER BY meta_key")
                .bind("id", secretId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    public void replaceMetadata(Handle h, String secretId, Map<String, String> metadata, long now) {
        h.createUpdate("DELETE FROM secret_metadata WHERE secret_id = :id").bind("id", secretId).execute();
        if (metadata.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("INSERT INTO secret_metadata (secret_id, meta_key, meta_value, created_at, updated_at) "
                + "VALUES (:id, :k, :v, :t, :t)");
        for (var e : metadata.entrySet()) {
            batch.bind("id", secretId).bind("k", e.getKey()).bind("v", e.getValue()).bind("t", now).add();
        }
        batch.execute();
    }

    public Optional<String> metadatum(Handle h, String secretId, String key) {
        return h.createQuery("SELECT meta_value FROM secret_metadata WHERE secret_id = :id AND meta_key = :k")
                .bind("id", secretId).bind("k", key).mapTo(String.class).findOne();
    }

    /** Adds a key; false when the key exists already. */
    public boolean addMetadatum(Handle h, String secretId, String key, String value, long now) {
        if (metadatum(h, secretId, key).isPresent()) {
            return false;
        }
        h.createUpdate("INSERT INTO secret_metadata (secret_id, meta_key, meta_value, created_at, updated_at) "
                        + "VALUES (:id, :k, :v, :t, :t)")
                .bind("id", secretId).bind("k", key).bind("v", value).bind("t", now).execute();
        return true;
    }

    /** Changes an existing key; false when there is no such key. */
    public boolean updateMetadatum(Handle h, String secretId, String key, String value, long now) {
        return h.createUpdate("UPDATE secret_metadata SET meta_value = :v, updated_at = :t "
                        + "WHERE secret_id = :id AND meta_key = :k")
                .bind("v", value).bind("t", now).bind("id", secretId).bind("k", key).execute() == 1;
    }

    public void deleteMetadatum(Handle h, String secretId, String key) {
        h.createUpdate("DELETE FROM secret_metadata WHERE secret_id = :id AND meta_key = :k")
                .bind("id", secretId).bind("k", key).execute();
    }

    // ---- consumers ---------------------------------------------------------------------------

    /** Registers a consumer; registering the same one again changes nothing. */
    public void addConsumer(Handle h, String secretId, String projectId, SecretConsumer c, long now) {
        int exists = h.createQuery("SELECT count(*) FROM secret_consumers WHERE secret_id = :s AND service = :sv "
                        + "AND resource_type = :rt AND resource_id = :ri")
                .bind("s", secretId).bind("sv", c.service()).bind("rt", c.resourceType()).bind("ri", c.resourceId())
                .mapTo(Integer.class).one();
        if (exists == 0) {
            h.createUpdate("INSERT INTO secret_consumers (id, secret_id, project_id, service, resource_type, "
                            + "resource_id, created_at, updated_at) VALUES (:id, :s, :p, :sv, :rt, :ri, :t, :t)")
                    .bind("id", TimeOrderedIds.next(now)).bind("s", secretId).bind("p", projectId)
                    .bind("sv", c.service()).bind("rt", c.resourceType()).bind("ri", c.resourceId()).bind("t", now)
                    .execute();
        }
        h.createUpdate("UPDATE secrets SET updated_at = :t WHERE id = :s").bind("t", now).bind("s", secretId).execute();
    }

    /** The project that registered a consumer, if it exists. */
    public Optional<String> consumerProject(Handle h, String secretId, SecretConsumer c) {
        return h.createQuery("SELECT project_id FROM secret_consumers WHERE secret_id = :s AND service = :sv "
                        + "AND resource_type = :rt AND resource_id = :ri")
                .bind("s", secretId).bind("sv", c.service()).bind("rt", c.resourceType()).bind("ri", c.resourceId())
                .mapTo(String.class).findOne();
    }

    public void removeConsumer(Handle h, String secretId, SecretConsumer c, long now) {
        h.createUpdate("DELETE FROM secret_consumers WHERE secret_id = :s AND service = :sv AND resource_type = :rt "
                        + "AND resource_id = :ri")
                .bind("s", secretId).bind("sv", c.service()).bind("rt", c.resourceType()).bind("ri", c.resourceId())
                .execute();
        h.createUpdate("UPDATE secrets SET updated_at = :t WHERE id = :s").bind("t", now).bind("s", secretId).execute();
    }

    /** A page of a secret's consumers with their timestamps, and the total. */
    public ConsumerPage consumerPage(Handle h, String secretId, int limit, int offset) {
        int total = h.createQuery("SELECT count(*) FROM secret_consumers WHERE secret_id = :s")
                .bind("s", secretId).mapTo(Integer.class).one();
        List<ListedConsumer> page = h.createQuery("SELECT service, resource_type, resource_id, created_at, updated_at "
                        + "FROM secret_consumers WHERE secret_id = :s ORDER BY created_at, id LIMIT :l OFFSET :o")
                .bind("s", secretId).bind("l", limit).bind("o", offset)
                .map((rs, ctx) -> new ListedConsumer(new SecretConsumer(rs.getString(1), rs.getString(2), rs.getString(3)),
                        rs.getLong(4), rs.getLong(5)))
                .list();
        return new ConsumerPage(page, total);
    }

    public record ListedConsumer(SecretConsumer consumer, long createdAt, long updatedAt) {}

    public record ConsumerPage(List<ListedConsumer> consumers, int total) {}


    /** The consumers of each of {@code ids}, each secret's in the order {@link #consumers} gives. */
    public Map<String, List<SecretConsumer>> consumersOf(Handle h, List<String> ids) {
        Map<String, List<SecretConsumer>> out = new java.util.HashMap<>();
        if (!ids.isEmpty()) {
            h.createQuery("SELECT secret_id, service, resource_type, resource_id FROM secret_consumers "
                            + "WHERE secret_id IN (<ids>) ORDER BY secret_id, created_at, id")
                    .bindList("ids", ids)
                    .map((rs, ctx) -> Map.entry(rs.getString(1),
                            new SecretConsumer(rs.getString(2), rs.getString(3), rs.getString(4))))
                    .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        }
        return out;
    }

    public List<SecretConsumer> consumers(Handle h, String secretId) {
        return new ArrayList<>(h.createQuery("SELECT service, resource_type, resource_id FROM secret_consumers "
                        + "WHERE secret_id = :id ORDER BY created_at, id")
                .bind("id", secretId)
                .map((rs, ctx) -> new SecretConsumer(rs.getString(1), rs.getString(2), rs.getString(3)))
                .list());
    }
}
