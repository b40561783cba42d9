package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.portcullis.config.DatabaseSettings.Kind;

class DatabaseSettingsTest {
    private static final Path BASE = Path.of("/etc/portcullis");

    private static DatabaseSettings parse(String connection) {
        return DatabaseSettings.parse(connection, 8, BASE);
    }

    @Test
    void sqliteAbsolutePathHasFourSlashes() {
        DatabaseSettings d = parse("sqlite:////var/lib/barbican/barbican.sqlite");
        assertThat(d.kind()).isEqualTo(Kind.SQLITE);
        assertThat(d.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/barbican/barbican.sqlite");
        assertThat(d.user()).isNull();
        assertThat(d.password()).isNull();
        assertThat(d.poolSize()).isEqualTo(8);
    }

    @Test
    void thePoolMinimumDefaultsToTheWholePoolOnPostgresqlAndIsCappedByItsSize() {
        assertThat(parse("postgresql://u:p@db/x").minIdle(8)).as("PostgreSQL: fixed pool").isEqualTo(8);
        assertThat(parse("sqlite:////tmp/x.sqlite").minIdle(8)).isEqualTo(2);
        assertThat(parse("sqlite:////tmp/x.sqlite").minIdle(1)).isEqualTo(1);
        assertThat(parse("postgresql://u:p@db/x").withMinPoolSize(0).minIdle(8)).isZero();
        assertThat(parse("postgresql://u:p@db/x").withMinPoolSize(20).minIdle(8)).isEqualTo(8);
    }

    @Test
    void theReadLimitDefaultsToTwoPerCoreCappedByThePoolAndZeroMeansNone() {
        DatabaseSettings pg = parse("postgresql://u:p@db/x");
        assertThat(pg.readLimit(2)).isEqualTo(4);
        assertThat(pg.readLimit(16)).as("at most the pool (8)").isEqualTo(8);
        assertThat(pg.withReadLimit(3).readLimit(2)).isEqualTo(3);
        assertThat(pg.withReadLimit(0).readLimit(2)).isZero();
    }

    @Test
    void sqliteRelativePathIsResolvedAgainstTheBaseDirectory() {
        assertThat(parse("sqlite:///barbican.sqlite").jdbcUrl()).isEqualTo("jdbc:sqlite:/etc/portcullis/barbican.sqlite");
        assertThat(parse("sqlite:///data/db.sqlite").jdbcUrl()).isEqualTo("jdbc:sqlite:/etc/portcullis/data/db.sqlite");
    }

    @Test
    void sqliteQueryParametersAreDropped() {
        assertThat(parse("sqlite:////tmp/x.sqlite?timeout=20").jdbcUrl()).isEqualTo("jdbc:sqlite:/tmp/x.sqlite");
    }

    @Test
    void sqliteDriverSuffixIsAccepted() {
        assertThat(parse("sqlite+pysqlite:////tmp/x.sqlite").jdbcUrl()).isEqualTo("jdbc:sqlite:/tmp/x.sqlite");
    }

    @Test
    void connectionIsStripped() {
        assertThat(parse("  sqlite:////tmp/x.sqlite  ").jdbcUrl()).isEqualTo("jdbc:sqlite:/tmp/x.sqlite");
    }

    @Test
    void inMemorySqliteIsRefused() {
        assertThatThrownBy(() -> parse("sqlite://"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in-memory");
        assertThatThrownBy(() -> parse("sqlite://relative.db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in-memory");
    }

    @Test
    void sqliteWithEmptyPathIsRefused() {
        assertThatThrownBy(() -> parse("sqlite:///")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inMemoryJdbcSqliteIsRefused() {
        assertThatThrownBy(() -> parse("jdbc:sqlite::memory:")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("jdbc:sqlite:")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void postgresqlWithCredentialsHostAndPort() {
        DatabaseSettings d = parse("postgresql://barbican:s3cret@db.example.org:5433/kms");
        assertThat(d.kind()).isEqualTo(Kind.POSTGRESQL);
        assertThat(d.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:5433/kms");
        assertThat(d.user()).isEqualTo("barbican");
        assertThat(d.password()).isEqualTo("s3cret");
    }

    @Test
    void postgresqlDriverSuffixIsIgnored() {
        DatabaseSettings d = parse("postgresql+psycopg2://barbican:pw@db:5432/barbican");
        assertThat(d.kind()).isEqualTo(Kind.POSTGRESQL);
        assertThat(d.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/barbican");
        assertThat(d.user()).isEqualTo("barbican");
        assertThat(d.password()).isEqualTo("pw");
    }

    @Test
    void postgresqlDefaultsPortAndDatabase() {
        DatabaseSettings d = parse("postgresql://db.example.org");
        assertThat(d.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:5432/barbican");
        assertThat(d.user()).isNull();
        assertThat(d.password()).isNull();
    }

    @Test
    void postgresqlUserWithoutPassword() {
        DatabaseSettings d = parse("postgres://barbican@db/kms");
        assertThat(d.user()).isEqualTo("barbican");
        assertThat(d.password()).isNull();
        assertThat(d.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/kms");
    }

    @Test
    void postgresqlCredentialsArePercentDecoded() {
        DatabaseSettings d = parse("postgresql://bar%40bican:p%3Aw%2Fd@db/kms");
        assertThat(d.user()).isEqualTo("bar@bican");
        assertThat(d.password()).isEqualTo("p:w/d");
    }

    @Test
    void credentialsNeverAppearInTheJdbcUrl() {
        DatabaseSettings d = parse("postgresql://barbican:s3cret@db/kms");
        assertThat(d.jdbcUrl()).doesNotContain("s3cret").doesNotContain("barbican@");
        assertThat(d.redacted()).doesNotContain("s3cret");
    }

    @Test
    void postgresqlQueryParametersAreKept() {
        DatabaseSettings d = parse("postgresql://barbican:pw@db/kms?sslmode=verify-full");
        assertThat(d.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/kms?sslmode=verify-full");
    }

    @Test
    void jdbcUrlsPassThrough() {
        DatabaseSettings pg = parse("jdbc:postgresql://db:5432/kms?user=x&password=y");
        assertThat(pg.kind()).isEqualTo(Kind.POSTGRESQL);
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/kms?user=x&password=y");
        assertThat(pg.redacted()).isEqualTo("jdbc:postgresql://db:5432/kms?…").doesNotContain("password");

        DatabaseSettings lite = parse("jdbc:sqlite:/var/lib/portcullis/db.sqlite");
        assertThat(lite.kind()).isEqualTo(Kind.SQLITE);
        assertThat(lite.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/portcullis/db.sqlite");
    }

    @Test
    void unsupportedDialectIsNamed() {
        assertThatThrownBy(() -> parse("mysql+pymysql://u:p@h/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mysql+pymysql'")
                .hasMessageContaining("sqlite and postgresql");
    }

    @Test
    void textWithoutSchemeSaysWhatWasExpected() {
        assertThatThrownBy(() -> parse("/var/lib/barbican.sqlite"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sqlite:///PATH");
    }

    @Test
    void sqliteFileIsAbsolute() {
        DatabaseSettings d = DatabaseSettings.sqliteFile(Path.of("/tmp/a.sqlite"), 3);
        assertThat(d.jdbcUrl()).isEqualTo("jdbc:sqlite:/tmp/a.sqlite");
        assertThat(d.redacted()).isEqualTo(d.jdbcUrl());
        assertThat(d.poolSize()).isEqualTo(3);
    }
}
