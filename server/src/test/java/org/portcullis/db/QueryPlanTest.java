package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.acl.AclEntity;
import org.portcullis.acl.AclRepository;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.containers.ContainerFilter;
import org.portcullis.containers.ContainerRepository;
import org.portcullis.http.Paging;
import org.portcullis.orders.OrderRepository;
import org.portcullis.secrets.SecretFilter;
import org.portcullis.secrets.SecretRepository;

/**
 * The statements behind GET payload and the lists, as the repositories issue them, each planned
 * by SQLite on the migrated schema: no full scan of a table, no sort of a project's rows for the
 * default list order, and list totals counted from an index alone. Plans, not timings: what keeps
 * list and payload latency flat from 10k to 1M secrets (bench/scale.sh measures that).
 */
class QueryPlanTest {
    private static final List<String> TABLES = List.of("secrets", "secret_metadata", "secret_consumers", "containers",
            "container_secrets", "orders", "acls", "acl_users");

    @TempDir
    Path dir;

    private Database db;
    private final List<String> issued = new ArrayList<>();

    @BeforeEach
    void openAndFill() {
        db = Database.open(DatabaseSettings.sqliteFile(dir.resolve("plans.sqlite"), 2));
        db.write(h -> {
            h.execute("INSERT INTO secret_stores (id, name, store_plugin, global_default, created_at, updated_at) "
                    + "VALUES ('st', 'default', 'store_crypto', TRUE, 0, 0)");
            for (int i = 0; i < 3; i++) {
                h.execute("INSERT INTO secrets (id, project_id, secret_type, status, store_id, payload, created_at, "
                        + "updated_at, deleted) VALUES (?, 'p', 'opaque', 'ACTIVE', 'st', x'00', ?, ?, FALSE)", "s" + i, i, i);
                h.execute("INSERT INTO containers (id, project_id, type, status, created_at, updated_at, deleted) "
                        + "VALUES (?, 'p', 'generic', 'ACTIVE', ?, ?, FALSE)", "c" + i, i, i);
                h.execute("INSERT INTO orders (id, project_id, type, meta, status, created_at, updated_at, deleted) "
                        + "VALUES (?, 'p', 'key', '{}', 'ACTIVE', ?, ?, FALSE)", "o" + i, i, i);
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void getPayloadAndItsChecksSearchByKey() throws Exception {
        SecretRepository secrets = new SecretRepository();
        plans(h -> {
            secrets.find(h, "s1");
            secrets.metadata(h, "s1");
            secrets.consumers(h, "s1");
            secrets.consumersOf(h, List.of("s0", "s1", "s2"));
            secrets.consumerPage(h, "s1", 10, 0);
            new AclRepository().find(h, AclEntity.Kind.SECRET, "s1");
            new ContainerRepository(db.kind()).find(h, "c1");
        }).forEach(QueryPlanTest::assertNoScan);
    }

    @Test
    void listsTakeTheirOrderFromAnIndexAndCountFromTheIndexAlone() throws Exception {
        SecretRepository secrets = new SecretRepository();
        OrderRepository orders = new OrderRepository();
        ContainerRepository containers = new ContainerRepository(db.kind());
        List<Plan> plans = plans(h -> {
            for (int offset : new int[] {0, 2}) {
                assertThat(secrets.list(h, "p", null, filter(offset), 1L).secrets()).hasSize(3 - offset);
                assertThat(containers.list(h, "p", new ContainerFilter(null, null, new Paging(10, offset)))
                        .containers()).hasSize(3 - offset);
                assertThat(orders.list(h, "p", 10, offset)).hasSize(3 - offset);
            }
            assertThat(orders.count(h, "p")).isEqualTo(3);
            SecretFilter byName = new SecretFilter("n", null, null, null, null, List.of(), List.of(), false, 10, 0);
            assertThat(secrets.list(h, "p", null, byName, 1L).total()).isZero();
        });
        assertThat(plans).extracting(Plan::sql)
                .anyMatch(s -> s.matches("SELECT .* FROM secrets WHERE project_id .* ORDER BY .*"))
                // an offset past the middle: the page read from the end, in the reverse order
                .anyMatch(s -> s.matches("WITH .* SELECT .* FROM secrets WHERE project_id .* ORDER BY created_at DESC.*"))
                .anyMatch(s -> s.matches("SELECT .* FROM containers WHERE project_id .* ORDER BY .*"))
                .anyMatch(s -> s.matches("SELECT .* FROM orders WHERE project_id .* ORDER BY .*"))
                .anyMatch(s -> s.startsWith("SELECT count(*) FROM secrets"))
                .anyMatch(s -> s.startsWith("SELECT (SELECT coalesce(sum(live), 0) FROM secret_counts"));
        for (Plan p : plans) {
            assertNoScan(p);
            if (p.sql().matches("(WITH .*)?SELECT .* FROM (secrets|containers|orders) WHERE project_id .*")) {
                // a project's rows: never sorted (a container's few entries may be)
                assertThat(p.lines()).as(p.sql()).noneMatch(l -> l.contains("TEMP B-TREE"));
            }
            if (p.sql().startsWith("SELECT count(*)")) {
                assertThat(p.lines()).as(p.sql()).anyMatch(l -> l.contains("USING COVERING INDEX"));
            }
            if (p.sql().contains("FROM secrets WHERE project_id = :project AND NOT deleted AND (expiration IS NULL "
                    + "OR expiration > :now) AND name = :name")) {
                // a name's rows only, from the index that leads with it
                assertThat(p.lines()).as(p.sql()).anyMatch(l -> l.contains("secrets_named_by_project"));
            }
            if (p.sql().startsWith("SELECT (SELECT coalesce(sum(live), 0) FROM secret_counts")) {
                // the unfiltered total: the project's count rows, its count per expiration day and
                // today's expired rows, each by index
                assertThat(p.lines()).as(p.sql()).anyMatch(l -> l.contains("secrets_expiring_by_project"))
                        .anyMatch(l -> l.matches("SEARCH secret_expiry_days USING .*INDEX.*\\(project_id=\\? AND day<\\?\\)"))
                        .noneMatch(l -> l.contains("secrets_listed_by_project"));
            }
        }
    }

    /**
     * The expiry watch, its count, the expiry report and purge ask for expirations before or after a
     * time: the partial index of expiring secrets (V29, which leaves out the many secrets that never
     * expire) answers each of them, not a scan of every secret.
     */
    @Test
    void expiryScansSearchTheIndexOfExpiringSecrets() throws Exception {
        List<String> shapes = List.of(
                "SELECT id FROM secrets WHERE NOT deleted AND expiry_warned_at IS NULL AND expiration IS NOT NULL "
                        + "AND expiration > 1 AND expiration <= 2 ORDER BY expiration, id LIMIT 10",
                "SELECT count(*) FROM secrets WHERE NOT deleted AND expiration > 1 AND expiration <= 2",
                "SELECT count(*) FROM secrets WHERE NOT deleted AND payload IS NOT NULL AND expiration IS NOT NULL "
                        + "AND expiration < 1");
        db.read(h -> {
            for (String sql : shapes) {
                assertThat(explain(h, sql)).as(sql).anyMatch(l -> l.matches("SEARCH secrets USING INDEX secrets_expiring .*"));
            }
            return null;
        });
    }

    private static SecretFilter filter(int offset) {
        return new SecretFilter(null, null, null, null, null, List.of(), List.of(), false, 10, offset);
    }

    private static void assertNoScan(Plan p) {
        for (String table : TABLES) {
            assertThat(p.lines()).as(p.sql()).noneMatch(l -> l.matches("SCAN " + table + "\\b.*"));
        }
    }

    record Plan(String sql, List<String> lines) {}

    interface Work {
        void run(Handle h) throws Exception;
    }

    /** Runs {@code work}, then asks SQLite for the plan of every statement it issued. */
    private List<Plan> plans(Work work) throws Exception {
        return db.read(h -> {
            h.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
                @Override
                public void logBeforeExecution(StatementContext ctx) {
                    issued.add(ctx.getParsedSql().getSql());
                }
            });
            // NamedQuery's statements (the secrets list on SQLite) bypass Jdbi's logger: they are
            // the ones its connection's statement cache holds after the work and not before
            StatementCache cache = h.getConnection().unwrap(SqliteConnection.class).statements();
            List<String> before = cache.idleSql();
            work.run(h);
            cache.idleSql().stream().filter(sql -> !before.contains(sql) && !issued.contains(sql)).forEach(issued::add);
            List<Plan> out = new ArrayList<>();
            for (String sql : issued) {
                out.add(new Plan(sql, explain(h, sql)));
            }
            assertThat(out).isNotEmpty();
            return out;
        });
    }

    private static List<String> explain(Handle h, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement s = h.getConnection().prepareStatement("EXPLAIN QUERY PLAN " + sql);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                lines.add(rs.getString("detail"));
            }
        }
        return lines;
    }
}
