package org.portcullis.adoption;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.TestServer;

/**
 * The import from a real Barbican 15 on MariaDB (scripts/barbican-mariadb.sh, its software store
 * only: PORTCULLIS_TEST_BARBICAN_MARIADB_*) into SQLite: one project with an entity of every kind
 * but KMIP secrets (BarbicanImportIT covers those), imported, imported again, then both servers'
 * answers compared.
 */
class BarbicanMariaDbImportIT {
    @Test
    void importsFromMariaDbIntoSqlite() throws Exception {
        String barbicanUrl = BarbicanImportIT.require("PORTCULLIS_TEST_BARBICAN_MARIADB_URL");
        Path barbicanConf = Path.of(BarbicanImportIT.require("PORTCULLIS_TEST_BARBICAN_MARIADB_CONF"));
        assertThat(Files.readString(barbicanConf)).contains("mysql+pymysql://");
        String project = "adopt-m-" + Long.toString(System.nanoTime(), 36);
        BarbicanFixture.Created created = BarbicanFixture.populate(barbicanUrl, project, false);

        Path dir = Files.createTempDirectory("adopt-mariadb");
        Path kek = TestServer.kek(dir.resolve("kek"));
        String text = TestServer.nodeHead("sqlite:///" + dir.resolve("portcullis.sqlite"), dir, "auth_strategy = noauth") + """

                [simple_crypto_plugin]
                kek_file = %s
                """.formatted(kek);
        Path conf = dir.resolve("portcullis.conf");
        Files.writeString(conf, text);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));

        BarbicanImportIT.Run first = BarbicanImportIT.importRun(conf, barbicanConf, "--project", project);
        assertThat(first.exit()).as(first.output()).isZero();
        // Every secret Barbican lists, the fixture's and the ones its orders generated, was created.
        int listed = BarbicanFixture.api(barbicanUrl, project).get("/v1/secrets?limit=100").json().get("total").asInt();
        assertThat(listed).isGreaterThanOrEqualTo(created.secrets().size());
        assertThat(first.output()).containsPattern("secret +project " + project + " +\\{created=" + listed + "\\}")
                .contains("Skipped: none");
        BarbicanImportIT.Run again = BarbicanImportIT.importRun(conf, barbicanConf, "--project", project);
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).doesNotContain("created").doesNotContain("deleted");
        try (TestServer portcullis = TestServer.startWithConfig(dir, text)) {
            BarbicanComparison.compareProject(barbicanUrl, project, portcullis.url());
        }
    }
}
