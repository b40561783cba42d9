package org.portcullis.stores.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.portcullis.config.ConfigException;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * A second node (or a restart) with a different master KEK must refuse to start instead of
 * writing secrets that the other nodes cannot read; with the right KEK, secrets written by the
 * first node read back on the second.
 */
class MasterKeyMismatchIT {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aNodeWithAnotherKekRefusesToStart(TestDatabases.Kind kind) throws Exception {
        Path nodeA = Files.createTempDirectory("node-a");
        String sql = TestDatabases.fresh(kind, nodeA);
        String id;
        try (TestServer a = TestServer.startWith(nodeA, sql, List.of())) {
            id = new Api(a.url(), "p").createText("written by node A");
        }

        // Node B shares the database and has the same KEK files: it reads node A's secrets.
        Path nodeB = Files.createTempDirectory("node-b");
        Files.copy(nodeA.resolve("kek-1"), nodeB.resolve("kek-1"));
        Files.copy(nodeA.resolve("kek-2"), nodeB.resolve("kek-2"));
        try (TestServer b = TestServer.startWith(nodeB, sql, List.of())) {
            assertThat(new Api(b.url(), "p").get("/v1/secrets/" + id + "/payload", "Accept", "text/plain").body())
                    .isEqualTo("written by node A");
        }

        // Node C has its own KEK for store 'software': it must not start.
        Path nodeC = Files.createTempDirectory("node-c");
        Files.copy(nodeA.resolve("kek-2"), nodeC.resolve("kek-2"));
        assertThatThrownBy(() -> TestServer.startWith(nodeC, sql, List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("secret store 'software'")
                .hasMessageContaining("does not match the one that encrypted existing secrets")
                .hasMessageContaining("starting would make them unreadable");
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabases.Kind.class, names = "SQLITE")
    void aKekFileReadableByOthersIsRefused(TestDatabases.Kind kind) throws Exception {
        Path dir = Files.createTempDirectory("node-perm");
        Path kek = TestServer.kek(dir.resolve("kek-1"));
        Files.setPosixFilePermissions(kek, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> TestServer.startWith(dir, TestDatabases.fresh(kind, dir), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(kek.toString())
                .hasMessageContaining("chmod 400");
    }
}
