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
        return start(kind, extraLines, null);
    }

    /**
     * A store that replaces {@code software} as the global default: its {@code [secretstore:NAME]}
     * section, which sets {@code global_default = True}.
     */
    public record DefaultStore(String name, String section) {}

    /** Starts a node whose global default is {@code store} (null: the property below decides). */
    public static TestServer start(TestDatabases.Kind kind, List<String> extraLines, DefaultStore store) throws Exception {
        Path dir = Files.createTempDirectory("portcullis-it");
        String sql = TestDatabases.fresh(kind, dir);
        return startWith(dir, sql, extraLines, store);
    }

    /** Starts a node over an existing data directory and database (a restart, or a second node). */
    public static TestServer startWith(Path dir, String sqlConnection, List<String> extraLines) throws Exception {
        return startWith(dir, sqlConnection, extraLines, null);
    }

    public static TestServer startWith(Path dir, String sqlConnection, List<String> extraLines, DefaultStore store)
            throws Exception {
        Path conf = writeConfig(dir, sqlConnection, extraLines, store);
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
     * The default store the whole run asks for: {@code -Dportcullis.test.default-store=pkcs11}
     * (or {@code kmip}; e.g. for ConformanceIT) makes every node's global default that store.
     */
    public static final String DEFAULT_STORE_PROPERTY = "portcullis.test.default-store";

    static DefaultStore fromProperty(Path dir) throws IOException {
        return named(System.getProperty(DEFAULT_STORE_PROPERTY, "software"), dir);
    }

    /**
     * A store by name as a node's global default, configured from the test services' environment:
     * {@code pkcs11} (SoftHSM2 token, keys labelled after the node's directory so a restart finds
     * them), {@code kmip} (the PyKMIP server); null for {@code software}.
     */
    public static DefaultStore named(String wanted, Path dir) throws IOException {
        return switch (wanted) {
            case "software", "" -> null;
            case "pkcs11" -> {
                SoftHsm.Env env = SoftHsm.require();
                String section = SoftHsm.storeSection(env, "hsm", true, env.token(), "node-" + dir.getFileName());
                SoftHsm.createKeys(dir, section, "hsm");
                yield new DefaultStore("hsm", section);
            }
            case "kmip" -> new DefaultStore("kmip", String.join("\n", KmipTestStore.storeSections("kmip", true)));
            default -> throw new IllegalArgumentException(DEFAULT_STORE_PROPERTY + ": unknown store " + wanted);
        };
    }

    /** Starts a node whose global default is the store {@link #named} {@code defaultStore}. */
    public static TestServer startWithDefaultStore(TestDatabases.Kind kind, String defaultStore, List<String> extraLines)
            throws Exception {
        Path dir = Files.createTempDirectory("portcullis-it");
        String sql = TestDatabases.fresh(kind, dir);
        return startWith(dir, sql, extraLines, named(defaultStore, dir));
    }

    public static Path writeConfig(Path dir, String sqlConnection, List<String> extraLines) throws IOException {
        return writeConfig(dir, sqlConnection, extraLines, null);
    }

    public static Path writeConfig(Path dir, String sqlConnection, List<String> extraLines, DefaultStore store)
            throws IOException {
        if (store == null) {
            store = fromProperty(dir);
        }
        Path kek1 = kek(dir.resolve("kek-1"));
        Path kek2 = kek(dir.resolve("kek-2"));
        StringBuilder text = new StringBuilder(multiStoreHead(sqlConnection, dir,
                "software, software-2" + (store == null ? "" : ", " + store.name())))
                .append('\n').append(softwareStore("software", store == null, kek1))
                .append('\n').append(softwareStore("software-2", false, kek2));
        if (store != null) {
            text.append('\n').append(store.section()).append('\n');
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

    /**
     * The head every test configuration starts with: the database, then {@code [portcullis]} with a
     * free loopback port, the data directory and {@code portcullisLines}; other sections follow.
     */
    public static String nodeHead(String sqlConnection, Path dataDir, String... portcullisLines) {
        StringBuilder head = new StringBuilder("""
                [DEFAULT]
                sql_connection = %s

                [portcullis]
                bind_host = 127.0.0.1
                bind_port = 0
                data_dir = %s
                """.formatted(sqlConnection, dataDir));
        for (String line : portcullisLines) {
            head.append(line).append('\n');
        }
        return head.toString();
    }

    /** {@link #nodeHead} followed by the {@code [secretstore]} section listing {@code storeList}; store sections follow. */
    public static String multiStoreHead(String sqlConnection, Path dataDir, String storeList, String... portcullisLines) {
        return nodeHead(sqlConnection, dataDir, portcullisLines) + """

                [secretstore]
                enable_multiple_secret_stores = True
                stores_lookup_suffix = %s
                """.formatted(storeList);
    }

    /** A {@code store_crypto} + {@code simple_crypto} store section with its own KEK file. */
    public static String softwareStore(String name, boolean globalDefault, Path kekFile) {
        return """
                [secretstore:%s]
                secret_store_plugin = store_crypto
                crypto_plugin = simple_crypto
                global_default = %s
                kek_file = %s
                """.formatted(name, globalDefault ? "True" : "False", kekFile);
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
