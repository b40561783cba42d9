package org.portcullis.adoption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarbicanDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void turnsSqlAlchemyUrlsIntoJdbc() {
        assertThat(BarbicanDatabase.target("sqlite:////var/lib/barbican/barbican.sqlite").jdbcUrl())
                .isEqualTo("jdbc:sqlite:/var/lib/barbican/barbican.sqlite");
        BarbicanDatabase.Target my = BarbicanDatabase.target(
                "mysql+pymysql://barbican:p%40ss@localhost/barbican?unix_socket=/run/mysqld/mysqld.sock&charset=utf8");
        assertThat(my.jdbcUrl()).isEqualTo("jdbc:mariadb://localhost/barbican?localSocket=/run/mysqld/mysqld.sock");
        assertThat(my.user()).isEqualTo("barbican");
        assertThat(my.password()).isEqualTo("p@ss");
        assertThat(my.toString()).doesNotContain("p@ss");
        BarbicanDatabase.Target pg = BarbicanDatabase.target("postgresql+psycopg2://b:x@db:5433/barbican");
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5433/barbican");
        assertThatThrownBy(() -> BarbicanDatabase.target("oracle://u:secretpw@h/db"))
                .hasMessageContaining("oracle").hasMessageNotContaining("secretpw");
        assertThatThrownBy(() -> BarbicanDatabase.target("sqlite://")).hasMessageContaining("in-memory");
    }

    @Test
    void acceptsKnownRevisionsAndNamesAnUnknownOne() throws Exception {
        Path db = dir.resolve("b.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)");
            s.execute("INSERT INTO alembic_version VALUES ('8c74e2d7f1ff')");
        }
        BarbicanDatabase.Target t = BarbicanDatabase.target("sqlite:///" + db);
        try (Connection c = BarbicanDatabase.open(t)) {
            assertThat(BarbicanDatabase.checkRevision(c)).isEqualTo("8c74e2d7f1ff");
            assertThatThrownBy(() -> c.createStatement().execute("DELETE FROM alembic_version"))
                    .as("the connection is read-only").isInstanceOf(java.sql.SQLException.class);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("UPDATE alembic_version SET version_num = 'abc123'");
        }
        try (Connection c = BarbicanDatabase.open(t)) {
            assertThatThrownBy(() -> BarbicanDatabase.checkRevision(c))
                    .hasMessageContaining("abc123").hasMessageContaining("8c74e2d7f1ff").hasMessageContaining("0f8c192a061f");
        }
    }

    @Test
    void anUnreachableDatabaseIsASourceError() {
        BarbicanDatabase.Target t = BarbicanDatabase.target("sqlite:///" + dir.resolve("missing.sqlite"));
        assertThatThrownBy(() -> BarbicanDatabase.open(t)).isInstanceOf(BarbicanDatabase.SourceException.class)
                .hasMessageContaining("cannot open");
    }
}
