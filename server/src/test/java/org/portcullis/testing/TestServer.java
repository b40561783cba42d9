package org.portcullis.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.portcullis.Application;
import org.portcullis.config.ConfigLoader;

/**
 * A real Portcullis node for integration tests: its own data directory, two software stores
 * with their own KEK files, and a real database, on a free loopback port.
 */
public final class TestServer implements AutoCloseable {
    private final Path dir;
    private final Application app;

    private TestServer(Path dir, Application app) {
        this.dir = dir;
        this.app = app;
    }

    public static TestServer start(TestDatabases.Kind kind) throws Exception {
        return start(kind, List.of());
    }

    /** Starts a node; {@code extraLines} are appended to its configuration file. */
    public static TestServer start(TestDatabases.Kind kind, List<String> extraLines) throws Exception {
        Path dir = Files.createTempDirectory("portcullis-it");
        String sql = TestDatabases.fresh(kind, dir);
        return startWith(dir, sql, extraLines);
    }

    /** Starts a node over an existing data directory and database (a restart, or a second node). */
    public static TestServer startWith(Path dir, String sqlConnection, List<String> extraLines) throws Exception {
        Path conf = writeConfig(dir, sqlConnection, extraLines);
        return new TestServer(dir, Application.start(ConfigLoader.load(conf)));
    }

    /**
     * Starts a node from a whole configuration text of the caller's (its own store list); the
     * file is written owner-only, as one holding a backend credential must be.
     */
    public static TestServer startWithConfig(Path dir, String configText) throws Exception {
        Path conf = dir.resolve("portcullis.conf");
        Files.writeString(conf, configText);
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        return new TestServer(dir, Application.start(ConfigLoader.load(conf)));
    }

    /**
     * Starts a node whose global default store is {@code defaultStore} (a name known to
     * {@link #defaultStoreSections}) instead of the software store.
     */
    public static TestServer startWithDefaultStore(TestDatabases.Kind kind, String defaultStore, List<String> extraLines)
            throws Exception {
        Path dir = Files.createTempDirectory("portcullis-it");
        String sql = TestDatabases.fresh(kind, dir);
        Path conf = writeConfig(dir, sql, extraLines, defaultStore);
        return new TestServer(dir, Application.start(ConfigLoader.load(conf)));
    }

    /**
     * The system property that makes every test node use another store as global default, e.g.
     * {@code -Dportcullis.test.default_store=kmip} to run the conformance test on the KMIP store.
     */
    public static final String DEFAULT_STORE_PROPERTY = "portcullis.test.default_store";

    public static Path writeConfig(Path dir, String sqlConnection, List<String> extraLines) throws IOException {
        String store = System.getProperty(DEFAULT_STORE_PROPERTY, "");
        return writeConfig(dir, sqlConnection, extraLines, store.isEmpty() || store.equals("software") ? null : store);
    }

    /** The sections of a store {@link #writeConfig} can add as global default, by name. */
    static List<String> defaultStoreSections(String name) {
        return switch (name) {
            case "kmip" -> KmipTestStore.storeSections("kmip", true);
            default -> throw new IllegalArgumentException("no test configuration for store '" + name + "'");
        };
    }

    private static Path writeConfig(Path dir, String sqlConnection, List<String> extraLines, String defaultStore)
            throws IOException {
        Path kek1 = kek(dir.resolve("kek-1"));
        Path kek2 = kek(dir.resolve("kek-2"));
        StringBuilder text = new StringBuilder("""
                [DEFAULT]
                sql_connection = %s

                [portcullis]
                bind_host = 127.0.0.1
                bind_port = 0
                data_dir = %s

                [secretstore]
                enable_multiple_secret_stores = True
                stores_lookup_suffix = software, software-2%s

                [secretstore:software]
                secret_store_plugin = store_crypto
                crypto_plugin = simple_crypto
                global_default = %s
                kek_file = %s

                [secretstore:software-2]
                secret_store_plugin = store_crypto
                crypto_plugin = simple_crypto
                kek_file = %s
                """.formatted(sqlConnection, dir, defaultStore == null ? "" : ", " + defaultStore,
                defaultStore == null ? "True" : "False", kek1, kek2));
        if (defaultStore != null) {
            text.append('\n');
            defaultStoreSections(defaultStore).forEach(line -> text.append(line).append('\n'));
        }
        for (String line : extraLines) {
            text.append(line).append('\n');
        }
        Path conf = dir.resolve("portcullis.conf");
        Files.writeString(conf, text);
        // owner-only, as the server demands of a file holding a password (PostgreSQL URLs, Keystone)
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        return conf;
    }

    /** A KEK file with 32 random bytes and mode 0400, unless one exists. */
    public static Path kek(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            Files.writeString(file, Base64.getEncoder().encodeToString(raw));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        }
        return file;
    }

    public String url() {
        return app.config().http().scheme() + "://127.0.0.1:" + app.port();
    }

    public Path dir() {
        return dir;
    }

    public Application app() {
        return app;
    }

    @Override
    public void close() throws Exception {
        app.close();
    }
}
