package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.portcullis.Application;
import org.portcullis.stores.vault.FakeVaultServer;
import org.portcullis.testing.KmipTestStore;
import org.portcullis.testing.Projects;
import org.portcullis.testing.SoftHsm;
import org.portcullis.testing.TestCertificates;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * Every {@code ```ini} block of README.md, as pasted: no value carries an inline comment, and a
 * node starts on it and answers {@code /healthcheck} (a round trip through every store) with 200.
 * Fragments ({@code <!-- ini: fragment -->}, see {@link ReadmeIniBlocks}) are laid over a minimal
 * configuration. What cannot exist here is substituted: paths under /etc/portcullis,
 * /var/lib/portcullis and /var/log/portcullis move to a temporary directory where the files they
 * name are created (KEKs, TLS certificates, a policy file, an audit key); ports, the database and
 * the KMIP, PKCS#11 and Vault servers are the test services' (Vault: the in-project fake).
 * Keystone is not contacted at start, so its block keeps README's URLs.
 */
class ReadmeConfigIT {

    static Stream<ReadmeIniBlocks.Block> blocks() throws Exception {
        return ReadmeIniBlocks.read(Projects.root().resolve("README.md")).stream();
    }

    @Test
    void theReadmeHasConfigBlocks() throws Exception {
        List<ReadmeIniBlocks.Block> all = blocks().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(7);
        assertThat(all.get(0).fragment()).as("the production configuration is whole").isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void aNodeStartsOnTheBlockAsPasted(ReadmeIniBlocks.Block block) throws Exception {
        assertThat(IniFile.parse("README.md block at line " + block.line(), block.lines()).likelyInlineComments())
                .as("comments belong on their own line").isEmpty();

        Path dir = Files.createTempDirectory("portcullis-readme-it");
        List<String> lines = block.fragment()
                ? ReadmeIniBlocks.layOver(ReadmeIniBlocks.BASE.replace("DIR", dir.toString()).lines().toList(),
                        block.lines())
                : block.lines();
        Map<String, java.util.Set<String>> sections = ReadmeIniBlocks.keys(lines);
        TestServer.kek(dir.resolve("base-kek"));
        try (Services services = new Services(dir, sections)) {
            List<String> config = ReadmeIniBlocks.rewrite(lines, services::substitute);
            Path conf = dir.resolve("portcullis.conf");
            Files.write(conf, config);
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
            if (sections.containsKey("p11_crypto_plugin")) {
                for (String command : List.of("gen-mkek", "gen-hmac")) {
                    SoftHsm.Result r = SoftHsm.manage("hsm", command, "--config", conf.toString());
                    assertThat(r.exit()).as(command + ": " + r.err()).isZero();
                }
            }
            try (Application node = Application.start(ConfigLoader.load(conf))) {
                String scheme = node.config().http().scheme();
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                        .sslContext(scheme.equals("https") ? services.certs().clientContext() : SSLContext.getDefault())
                        .build();
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                        URI.create(scheme + "://127.0.0.1:" + node.port() + "/healthcheck")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            }
        }
    }

    /** The test's stand-ins for what README's configuration names, created when a block needs them. */
    private static final class Services implements AutoCloseable {
        private static final List<String> MOVED = List.of("/etc/portcullis/", "/var/lib/portcullis", "/var/log/portcullis/");
        private final Path dir;
        private final Map<String, java.util.Set<String>> sections;
        private final String labels = "readme-" + UUID.randomUUID();
        private TestCertificates certs;
        private FakeVaultServer vault;
        private String[] appRole;

        Services(Path dir, Map<String, java.util.Set<String>> sections) {
            this.dir = dir;
            this.sections = sections;
        }

        TestCertificates certs() throws Exception {
            if (certs == null) {
                certs = TestCertificates.create(dir.resolve("certs"));
            }
            return certs;
        }

        String substitute(String section, String key, String value) throws Exception {
            String plugin = section.startsWith("secretstore:") ? "store" : section;
            switch (key) {
                case "bind_port":
                    return "0";
                case "bind_host":
                    return "127.0.0.1";
                case "data_dir": // an operator creates it, as for any service
                    return Files.createDirectories(dir.resolve("data")).toString();
                case "sql_connection", "connection":
                    return TestDatabases.fresh(value.startsWith("postgresql") ? TestDatabases.Kind.POSTGRESQL
                            : TestDatabases.Kind.SQLITE, dir);
                default:
                    break;
            }
            if (plugin.equals("kmip_plugin")) {
                KmipTestStore.require();
                switch (key) {
                    case "host": return KmipTestStore.env("HOST");
                    case "port": return KmipTestStore.env("PORT");
                    case "certfile": return KmipTestStore.env("CERT");
                    case "keyfile": return KmipTestStore.env("KEY");
                    case "ca_certs": return KmipTestStore.env("CA");
                    default: break;
                }
            }
            if (plugin.equals("p11_crypto_plugin")) {
                SoftHsm.Env env = SoftHsm.require();
                switch (key) {
                    case "library_path": return env.library().toString();
                    case "token_label": return env.token();
                    case "login": return env.pin();
                    case "mkek_label", "hmac_label": return labels + "-" + value;
                    default: break;
                }
            }
            if (plugin.equals("vault_plugin")) {
                switch (key) {
                    case "vault_url": return vault().url();
                    case "approle_role_id": return appRole()[0];
                    case "approle_secret_id": return appRole()[1];
                    case "root_token_id": return vault().createToken("");
                    default: break;
                }
            }
            return MOVED.stream().anyMatch(value::startsWith) ? moved(key, value) : value;
        }

        /** A README path moved under the test directory, with the file it names created. */
        private String moved(String key, String value) throws Exception {
            Path file = dir.resolve("root" + value);
            Files.createDirectories(file.getParent());
            switch (key) {
                case "kek_file", "previous_kek_files" -> TestServer.kek(file);
                case "tls_cert_file" -> copy(certs().serverCert(), file);
                case "tls_key_file" -> copy(certs().serverKey(), file);
                case "tls_client_ca_file", "ssl_ca_crt_file" -> copy(certs().caCert(), file);
                case "policy_file" -> Files.writeString(file, "{}\n");
                case "hmac_key_file" -> {
                    byte[] raw = new byte[32];
                    new java.security.SecureRandom().nextBytes(raw);
                    Files.writeString(file, Base64.getEncoder().encodeToString(raw));
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
                }
                default -> { } // a file the node creates itself (the audit file)
            }
            return file.toString();
        }

        private static void copy(Path from, Path to) throws Exception {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }

        private FakeVaultServer vault() throws Exception {
            if (vault == null) {
                boolean tls = sections.getOrDefault("vault_plugin", java.util.Set.of()).contains("ssl_ca_crt_file");
                vault = tls ? FakeVaultServer.startTls(serverContext()) : FakeVaultServer.start();
            }
            return vault;
        }

        private String[] appRole() throws Exception {
            if (appRole == null) {
                appRole = vault().createAppRole("");
            }
            return appRole;
        }

        /** The test certificate as a server context, for the fake Vault's HTTPS. */
        private SSLContext serverContext() throws Exception {
            Path p12 = dir.resolve("vault.p12");
            TestCertificates.openssl(dir, "pkcs12", "-export", "-in", certs().serverCert().toString(), "-inkey",
                    certs().serverKey().toString(), "-out", p12.toString(), "-passout", "pass:changeit");
            return TestCertificates.serverContext(p12, "changeit");
        }

        @Override
        public void close() {
            if (vault != null) {
                vault.close();
            }
        }
    }
}
