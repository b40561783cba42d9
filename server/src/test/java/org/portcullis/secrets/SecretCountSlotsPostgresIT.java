package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.db.Database;
import org.portcullis.testing.TestDatabases;

/**
 * On PostgreSQL each session that writes secrets keeps its count changes in a slot of its own
 * (V27): concurrent transactions of one project never wait on each other's count row, a rollback
 * does not make a session take a second slot, and the counts stay those of the rows across the
 * upgrade from the per-process slots of V25.
 */
class SecretCountSlotsPostgresIT {
    @TempDir
    Path dir;

    @Test
    void concurrentWritersOfOneProjectTakeSlotsOfTheirOwnAndNeverWait() throws Exception {
        DatabaseSettings s = settings();
        try (Database db = Database.open(s)) {
            db.write(h -> h.execute("INSERT INTO secret_stores (id, name, store_plugin, global_default, created_at, "
                    + "updated_at) VALUES ('st', 'default', 'store_crypto', TRUE, 0, 0)"));
        }
        List<Connection> sessions = new ArrayList<>();
        try {
            Set<Integer> slots = new HashSet<>();
            for (int i = 0; i < 16; i++) {
                Connection c = connect(s);
                sessions.add(c);
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    // Any wait for a lock fails the insert at once: with a slot each there is none,
                    // whatever the timing (the 16 transactions stay open together).
                    st.execute("SET lock_timeout = '1ms'");
                }
                insert(c, "w" + i, false);
                slots.add(slot(c));
            }
            assertThat(slots).hasSize(16);
            // a rollback undoes the session's claim setting but not its lock: it keeps its slot
            Connection first = sessions.get(0);
            int before = slot(first);
            first.rollback();
            insert(first, "again", false);
            assertThat(slot(first)).isEqualTo(before);
            assertThat(slotsHeld(first)).isEqualTo(1);
            for (Connection c : sessions) {
                c.commit();
            }
            try (Statement st = first.createStatement();
                    ResultSet rs = st.executeQuery("SELECT sum(live), count(*) FROM secret_counts WHERE project_id = 'p'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(16); // w0 rolled back, "again" counted
                assertThat(rs.getLong(2)).isEqualTo(16);
            }
        } finally {
            for (Connection c : sessions) {
                c.close();
            }
        }
    }

    @Test
    void upgradeKeepsTheCountsOfTheOldSlots() throws Exception {
        DatabaseSettings s = settings();
        Flyway.configure().dataSource(s.jdbcUrl(), s.user(), s.password())
                .locations(Database.migrationLocations(DatabaseSettings.Kind.POSTGRESQL)).target("26").load().migrate();
        try (Connection c = connect(s); Statement st = c.createStatement()) {
            st.execute("INSERT INTO secret_stores (id, name, store_plugin, global_default, created_at, updated_at) "
                    + "VALUES ('st', 'default', 'store_crypto', TRUE, 0, 0)");
            for (int i = 0; i < 5; i++) {
                insert(c, "old" + i, i == 4); // through the V25 triggers, slot pg_backend_pid() % 64
            }
            st.execute("UPDATE secrets SET expiration = 4102444800000 WHERE id = 'old0'");
        }
        try (Database db = Database.open(s); Connection c = connect(s); Statement st = c.createStatement()) {
            insert(c, "new", false);
            st.execute("UPDATE secrets SET deleted = TRUE WHERE id IN ('old0', 'old1')");
            try (ResultSet rs = st.executeQuery("SELECT (SELECT sum(live) FROM secret_counts WHERE project_id = 'p'), "
                    + "(SELECT count(*) FROM secrets WHERE project_id = 'p' AND NOT deleted), "
                    + "(SELECT sum(live) FROM secret_expiry_days WHERE project_id = 'p')")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(3).isEqualTo(rs.getLong(2));
                assertThat(rs.getLong(3)).isZero();
            }
        }
    }

    private static void insert(Connection c, String id, boolean deleted) throws SQLException {
        try (var ps = c.prepareStatement("INSERT INTO secrets (id, project_id, secret_type, status, store_id, "
                + "created_at, updated_at, deleted) VALUES (?, 'p', 'opaque', 'ACTIVE', 'st', 0, 0, ?)")) {
            ps.setString(1, id);
            ps.setBoolean(2, deleted);
            ps.executeUpdate();
        }
    }

    private static int slot(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT secret_count_slot()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int slotsHeld(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks "
                + "WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = 1885566580 AND objsubid = 2")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private DatabaseSettings settings() throws Exception {
        return DatabaseSettings.parse(TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir), 4, dir);
    }

    private static Connection connect(DatabaseSettings s) throws SQLException {
        return DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
    }
}
