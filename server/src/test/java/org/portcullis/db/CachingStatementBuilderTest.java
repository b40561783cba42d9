package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prepared statements reused per physical SQLite connection, through a Hikari pool as {@link
 * Database} builds it: the cache must survive the pool's proxy, stay with its connection, close
 * with it, and never hand out a statement that is still running or keeps an old snapshot.
 */
class CachingStatementBuilderTest {
    private static final String COUNT = "SELECT count(*) FROM t";
    @TempDir
    Path dir;
    private HikariDataSource pool;
    private Jdbi jdbi;
    private final List<Statement> used = new ArrayList<>();

    @BeforeEach
    void open() {
        pool = pool(2);
        jdbi = jdbi(pool);
        jdbi.useHandle(h -> h.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"));
        jdbi.useHandle(h -> h.execute("INSERT INTO t (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')"));
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private HikariDataSource pool(int size) {
        return SqlitePools.pool(dir.resolve("t.sqlite"), size);
    }

    private static Jdbi jdbi(HikariDataSource pool) {
        return SqlitePools.jdbi(pool);
    }

    /** Runs {@code sql} as a query, remembering the JDBC statement it ran on. */
    private Query query(Handle h, String sql) {
        return h.createQuery(sql).addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement stmt, StatementContext ctx) {
                used.add(stmt);
            }
        });
    }

    private int count(Handle h) {
        return query(h, COUNT).mapTo(Integer.class).one();
    }

    @Test
    void aStatementIsReusedAcrossCheckoutsOfItsConnectionAndNotClosedByThePool() throws SQLException {
        try (HikariDataSource single = pool(1)) {
            Jdbi one = jdbi(single);
            int outside = one.withHandle(this::count);
            int inside = one.withHandle(h -> h.inTransaction(this::count));
            assertThat(outside).isEqualTo(3);
            assertThat(inside).isEqualTo(3);
            assertThat(used).hasSize(2);
            assertThat(used.get(1)).isSameAs(used.get(0));
            assertThat(used.get(0).isClosed()).isFalse();
        }
        assertThat(used.get(0).isClosed()).as("closed with its connection").isTrue();
    }

    @Test
    void databaseReadsAndWritesOnSqliteReuseTheirStatements() {
        try (Database db = Database.open(org.portcullis.config.DatabaseSettings.sqliteFile(dir.resolve("db.sqlite"), 1))) {
            for (int i = 0; i < 3; i++) {
                db.read(h -> query(h, "SELECT count(*) FROM secrets").mapTo(Integer.class).one());
            }
            for (int i = 0; i < 2; i++) {
                db.write(h -> query(h, "SELECT count(*) FROM secrets").mapTo(Integer.class).one());
            }
        }
        assertThat(used).hasSize(5);
        assertThat(used.get(1)).isSameAs(used.get(0));
        assertThat(used.get(4)).isSameAs(used.get(3));
    }

    @Test
    void twoConnectionsNeverShareAStatement() {
        try (Handle a = jdbi.open(); Handle b = jdbi.open()) {
            assertThat(count(a)).isEqualTo(3);
            assertThat(count(b)).isEqualTo(3);
            assertThat(count(a)).isEqualTo(3);
        }
        assertThat(used.get(1)).isNotSameAs(used.get(0));
        assertThat(used.get(2)).isSameAs(used.get(0));
    }

    @Test
    void theSameSqlNestedInItsOwnIterationGetsASecondStatement() {
        List<String> pairs = jdbi.withHandle(h -> {
            List<String> out = new ArrayList<>();
            try (var outer = query(h, "SELECT v FROM t ORDER BY id").mapTo(String.class).iterator()) {
                while (outer.hasNext()) {
                    String v = outer.next();
                    out.add(v + query(h, "SELECT v FROM t ORDER BY id").mapTo(String.class).first());
                }
            }
            return out;
        });
        assertThat(pairs).containsExactly("aa", "ba", "ca");
        assertThat(used.get(1)).isNotSameAs(used.get(0));
    }

    @Test
    void aQueryReadOnlyInPartStartsOverAndDoesNotKeepItsSnapshot() {
        try (HikariDataSource single = pool(1)) {
            Jdbi reader = jdbi(single);
            String first = "SELECT v FROM t ORDER BY id";
            String before = reader.withHandle(h -> query(h, first).mapTo(String.class).first());
            jdbi.useHandle(h -> h.execute("INSERT INTO t (id, v) VALUES (0, 'z')"));
            String after = reader.withHandle(h -> query(h, first).mapTo(String.class).first());
            int rows = reader.withHandle(this::count);
            assertThat(before).isEqualTo("a");
            assertThat(after).isEqualTo("z");
            assertThat(rows).isEqualTo(4);
            assertThat(used.get(1)).isSameAs(used.get(0));
        }
    }

    @Test
    void aStatementThatFailedIsReusableAndHoldsNoOldParameters() {
        String insert = "INSERT INTO t (id, v) VALUES (:id, :v)";
        jdbi.useHandle(h -> {
            assertThatThrownBy(() -> h.createUpdate(insert).bind("id", 1).bind("v", "dup").execute())
                    .hasMessageContaining("UNIQUE");
            h.createUpdate(insert).bind("id", 4).bind("v", "d").execute();
            String byId = "SELECT v FROM t WHERE id = :id";
            assertThat(query(h, byId).bind("id", 4).mapTo(String.class).findOne()).hasValue("d");
            assertThat(query(h, byId).bind("id", 9).mapTo(String.class).findOne()).isEmpty();
            assertThat(query(h, byId).bind("id", 1).mapTo(String.class).findOne()).hasValue("a");
            assertThat(used.get(1)).as("named parameters: reused too").isSameAs(used.get(0));
            assertThat(used.get(2)).isSameAs(used.get(0));
            assertThatThrownBy(() -> h.createUpdate(insert).bind("id", 5).execute()).isInstanceOf(RuntimeException.class);
            assertThat(count(h)).isEqualTo(4);
        });
    }

    @Test
    void aBrokenConnectionTakesItsStatementsAlongAndThePoolGoesOnWithNewOnes() throws SQLException {
        try (HikariDataSource single = pool(1)) {
            Jdbi one = jdbi(single);
            Handle h = one.open();
            assertThat(count(h)).isEqualTo(3);
            Statement before = used.getFirst();
            h.getConnection().unwrap(SqliteConnection.class).close(); // the connection dies under its user
            assertThat(before.isClosed()).isTrue();
            assertThatThrownBy(() -> count(h)).isInstanceOf(RuntimeException.class);
            single.evictConnection(h.getConnection());
            // Jdbi reports the dead connection when it closes the handle; the pool replaces it.
            assertThatThrownBy(h::close).isInstanceOf(RuntimeException.class);
            int rows = one.withHandle(this::count);
            assertThat(rows).isEqualTo(3);
            assertThat(used.getLast()).isNotSameAs(before);
            assertThat(used.getLast().isClosed()).isFalse();
        }
    }

    @Test
    void statementsWithQuerySettingsAreNotKept() {
        jdbi.useHandle(h -> {
            query(h, COUNT).setQueryTimeout(5).mapTo(Integer.class).one();
            count(h);
        });
        assertThat(used.get(1)).isNotSameAs(used.get(0));
    }

    @Test
    void theCacheClosesItsLeastRecentlyUsedBeyondItsBound() throws SQLException {
        try (HikariDataSource single = pool(1); Handle h = jdbi(single).open()) {
            for (int i = 0; i <= StatementCache.MAX_IDLE; i++) {
                query(h, "SELECT " + i + " FROM t").mapTo(Integer.class).first();
            }
            assertThat(h.getConnection().unwrap(SqliteConnection.class).statements().size())
                    .isEqualTo(StatementCache.MAX_IDLE);
            assertThat(used.getFirst().isClosed()).isTrue();
            assertThat(used.getLast().isClosed()).isFalse();
        }
    }
}
