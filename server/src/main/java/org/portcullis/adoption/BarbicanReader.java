package org.portcullis.adoption;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.portcullis.adoption.BarbicanRows.Acl;
import org.portcullis.adoption.BarbicanRows.Container;
import org.portcullis.adoption.BarbicanRows.ContainerConsumer;
import org.portcullis.adoption.BarbicanRows.ContainerSecret;
import org.portcullis.adoption.BarbicanRows.Encrypted;
import org.portcullis.adoption.BarbicanRows.Order;
import org.portcullis.adoption.BarbicanRows.Quota;
import org.portcullis.adoption.BarbicanRows.Secret;
import org.portcullis.adoption.BarbicanRows.SecretConsumer;
import org.portcullis.adoption.BarbicanRows.Snapshot;
import org.portcullis.adoption.BarbicanRows.Store;
import org.portcullis.adoption.BarbicanRows.TransportKey;

/**
 * Reads Barbican's tables (plain SELECTs that work on SQLite, MariaDB and PostgreSQL) into
 * {@link BarbicanRows}. Soft-deleted secrets, containers, orders and transport keys are read too
 * (flagged), so a later run can delete what was deleted in Barbican since; their details are not.
 */
public final class BarbicanReader {
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd().toFormatter();

    private final Connection c;
    private final Map<String, String> projects = new HashMap<>();
    private final Predicate<String> projectFilter;

    /** @param onlyProjects Keystone project ids to import; empty means every project */
    public BarbicanReader(Connection c, Set<String> onlyProjects) {
        this.c = c;
        this.projectFilter = p -> onlyProjects.isEmpty() || onlyProjects.contains(p);
    }

    public Snapshot read(String revision) throws SQLException {
        each("SELECT id, external_id FROM projects", rs -> projects.put(rs.getString(1), rs.getString(2)));
        Map<String, Map<String, String>> userMeta = keyValues("secret_user_metadata");
        Map<String, Map<String, String>> storeMeta = keyValues("secret_store_metadata");
        Map<String, Encrypted> encrypted = new HashMap<>();
        each("SELECT e.secret_id, e.content_type, e.cypher_text, e.kek_id, k.plugin_name, e.kek_meta_extended "
                + "FROM encrypted_data e JOIN kek_data k ON k.id = e.kek_id WHERE e.deleted = " + no()
                + " ORDER BY e.created_at, e.id", rs -> encrypted.put(rs.getString(1), new Encrypted(rs.getString(2),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6))));
        List<Secret> secrets = new ArrayList<>();
        each("SELECT id, project_id, creator_id, name, secret_type, algorithm, bit_length, mode, expiration, status, "
                + "created_at, updated_at, deleted FROM secrets ORDER BY created_at, id", rs -> {
                    String project = project(rs.getString(2));
                    if (!projectFilter.test(project)) {
                        return;
                    }
                    String id = rs.getString(1);
                    Map<String, String> sm = storeMeta.getOrDefault(id, Map.of());
                    Encrypted e = encrypted.get(id);
                    String contentType = sm.getOrDefault("content_type", e == null ? null : e.contentType());
                    int bits = rs.getInt(7);
                    Integer bitLength = rs.wasNull() ? null : bits;
                    secrets.add(new Secret(id, project, rs.getString(3), rs.getString(4),
                            rs.getString(5) == null ? "opaque" : rs.getString(5), rs.getString(6), bitLength,
                            rs.getString(8), time(rs, 9), rs.getString(10), time(rs, 11), time(rs, 12),
                            rs.getBoolean(13), contentType, sm.get("plugin_name"), sm, e,
                            userMeta.getOrDefault(id, Map.of())));
                });
        List<SecretConsumer> secretConsumers = new ArrayList<>();
        each("SELECT id, secret_id, project_id, service, resource_type, resource_id, created_at, updated_at "
                + "FROM secret_consumer_metadata WHERE deleted = " + no() + " ORDER BY created_at, id",
                rs -> secretConsumers.add(new SecretConsumer(rs.getString(1), rs.getString(2), project(rs.getString(3)),
                        rs.getString(4), rs.getString(5), rs.getString(6), time(rs, 7), time(rs, 8))));
        Map<String, List<ContainerSecret>> members = new HashMap<>();
        each("SELECT container_id, secret_id, name FROM container_secret WHERE deleted = " + no()
                + " ORDER BY created_at, id", rs -> members.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new ContainerSecret(rs.getString(2), rs.getString(3))));
        List<Container> containers = new ArrayList<>();
        each("SELECT id, project_id, creator_id, name, type, status, created_at, updated_at, deleted FROM containers "
                + "ORDER BY created_at, id", rs -> {
                    String project = project(rs.getString(2));
                    if (projectFilter.test(project)) {
                        containers.add(new Container(rs.getString(1), project, rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), time(rs, 7), time(rs, 8), rs.getBoolean(9),
                                members.getOrDefault(rs.getString(1), List.of())));
                    }
                });
        List<ContainerConsumer> containerConsumers = new ArrayList<>();
        each("SELECT id, container_id, project_id, name, " + quoted("URL") + ", created_at, updated_at "
                + "FROM container_consumer_metadata WHERE deleted = " + no() + " ORDER BY created_at, id",
                rs -> containerConsumers.add(new ContainerConsumer(rs.getString(1), rs.getString(2),
                        rs.getString(3) == null ? null : project(rs.getString(3)), rs.getString(4), rs.getString(5),
                        time(rs, 6), time(rs, 7))));
        List<Acl> acls = new ArrayList<>();
        acls("secret", acls);
        acls("container", acls);
        List<Order> orders = new ArrayList<>();
        each("SELECT id, project_id, creator_id, type, meta, status, secret_id, container_id, error_status_code, "
                + "error_reason, created_at, updated_at, deleted FROM orders ORDER BY created_at, id", rs -> {
                    String project = project(rs.getString(2));
                    if (projectFilter.test(project)) {
                        orders.add(new Order(rs.getString(1), project, rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                                rs.getString(10), time(rs, 11), time(rs, 12), rs.getBoolean(13)));
                    }
                });
        List<Quota> quotas = new ArrayList<>();
        each("SELECT project_id, secrets, orders, containers, consumers, cas, created_at, updated_at "
                + "FROM project_quotas WHERE deleted = " + no() + " ORDER BY created_at", rs -> {
                    String project = project(rs.getString(1));
                    if (projectFilter.test(project)) {
                        quotas.add(new Quota(project, integer(rs, 2), integer(rs, 3), integer(rs, 4), integer(rs, 5),
                                integer(rs, 6), time(rs, 7), time(rs, 8)));
                    }
                });
        List<Store> stores = new ArrayList<>();
        each("SELECT id, name, store_plugin, crypto_plugin, global_default FROM secret_stores WHERE deleted = " + no(),
                rs -> stores.add(new Store(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5))));
        Map<String, String> preferred = new LinkedHashMap<>();
        each("SELECT project_id, secret_store_id FROM project_secret_store WHERE deleted = " + no(), rs -> {
            String project = project(rs.getString(1));
            if (projectFilter.test(project)) {
                preferred.put(project, rs.getString(2));
            }
        });
        List<TransportKey> transportKeys = new ArrayList<>();
        each("SELECT id, plugin_name, transport_key, created_at, updated_at, deleted FROM transport_keys "
                + "ORDER BY created_at, id", rs -> transportKeys.add(new TransportKey(rs.getString(1), rs.getString(2),
                        rs.getString(3), time(rs, 4), time(rs, 5), rs.getBoolean(6))));
        Map<String, byte[]> keks = new HashMap<>();
        each("SELECT id, plugin_meta FROM kek_data", rs -> keks.put(rs.getString(1), bytes(rs, 2)));
        return new Snapshot(revision, secrets, secretConsumers, containers, containerConsumers, acls, orders, quotas,
                stores, preferred, transportKeys, keks);
    }

    private void acls(String kind, List<Acl> out) throws SQLException {
        Map<String, List<String>> users = new HashMap<>();
        each("SELECT acl_id, user_id FROM " + kind + "_acl_users WHERE deleted = " + no() + " ORDER BY user_id",
                rs -> users.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2)));
        each("SELECT id, " + kind + "_id, operation, project_access, created_at, updated_at FROM " + kind
                + "_acls WHERE deleted = " + no() + " ORDER BY created_at, id",
                rs -> out.add(new Acl(kind, rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        users.getOrDefault(rs.getString(1), List.of()), time(rs, 5), time(rs, 6))));
    }

    private Map<String, Map<String, String>> keyValues(String table) throws SQLException {
        Map<String, Map<String, String>> out = new HashMap<>();
        // Keys are unique per secret, so no ORDER BY: sorting every row would cost more than the read.
        each("SELECT secret_id, " + quoted("key") + ", value FROM " + table + " WHERE deleted = " + no(),
                rs -> out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3)));
        return out;
    }

    private String project(String internalId) {
        String external = projects.get(internalId);
        return external == null ? internalId : external;
    }

    /** MariaDB quotes identifiers with backquotes unless ANSI_QUOTES is set; the others with ". */
    private String quoted(String column) throws SQLException {
        return c.getMetaData().getURL().startsWith("jdbc:mariadb:") ? "`" + column + "`" : "\"" + column + "\"";
    }

    /** "deleted = false" in a form all three accept (SQLite and MariaDB keep booleans as 0/1). */
    private String no() throws SQLException {
        return c.getMetaData().getURL().startsWith("jdbc:postgresql:") ? "false" : "0";
    }

    /** Barbican writes naive UTC datetimes; read them as text so every driver gives the same value. */
    static Long time(ResultSet rs, int column) throws SQLException {
        String text = rs.getString(column);
        if (text == null) {
            return null;
        }
        if (text.length() >= 19 && text.charAt(4) == '-' && (text.charAt(10) == ' ' || text.charAt(10) == 'T')) {
            // The common shape, read by hand: a formatter per row costs more than the rest of the row.
            try {
                long millis = LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10),
                        digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19))
                        .toEpochSecond(ZoneOffset.UTC) * 1000;
                if (text.length() == 19) {
                    return millis;
                }
                if (text.charAt(19) == '.' && text.length() >= 23 && text.length() <= 29) {
                    return millis + digits(text, 20, 23);
                }
            } catch (NumberFormatException | java.time.DateTimeException e) {
                // not the common shape after all: the formatter below says what is wrong
            }
        }
        return LocalDateTime.parse(text.replace('T', ' '), TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static int digits(String text, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char ch = text.charAt(i);
            if (ch < '0' || ch > '9') {
                throw new NumberFormatException(text);
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** plugin_meta as bytes; PostgreSQL has been seen to hold it as {@code \x}-hex text. */
    static byte[] bytes(ResultSet rs, int column) throws SQLException {
        byte[] raw = rs.getBytes(column);
        if (raw == null) {
            return null;
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        if (text.startsWith("\\x")) {
            return java.util.HexFormat.of().parseHex(text.substring(2));
        }
        return raw;
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private void each(String sql, RowHandler handler) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                handler.row(rs);
            }
        }
    }
}
