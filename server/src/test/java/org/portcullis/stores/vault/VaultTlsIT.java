package org.portcullis.stores.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.StoreOptions;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoreInfo;
import org.portcullis.testing.TestCertificates;

/** {@code https://} with {@code ssl_ca_crt_file}: the store trusts that CA and only that CA. */
class VaultTlsIT {
    private static final StoreInfo INFO = new StoreInfo(UUID.randomUUID().toString(), "vault", "vault_plugin", null,
            true, 0, 0);

    @TempDir
    Path dir;

    /** A self-signed certificate for 127.0.0.1 made by keytool; returns the server's TLS context. */
    private SSLContext serverTls(Path keystore, Path pem) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "vault", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-storetype", "PKCS12");
        run(keytool, "-exportcert", "-rfc", "-alias", "vault", "-keystore", keystore.toString(), "-storepass",
                "changeit", "-file", pem.toString());
        return TestCertificates.serverContext(keystore, "changeit");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + ": " + out);
        }
    }

    private static VaultStore open(FakeVaultServer vault, Path ca) {
        Map<String, StoreOptions.Value> values = new LinkedHashMap<>();
        values.put("vault_url", new StoreOptions.Value(vault.url(), "vault_plugin", 1));
        values.put("use_ssl", new StoreOptions.Value("True", "vault_plugin", 2));
        values.put("root_token_id", new StoreOptions.Value(vault.createToken(""), "vault_plugin", 3));
        values.put("timeout", new StoreOptions.Value("5", "vault_plugin", 4));
        if (ca != null) {
            values.put("ssl_ca_crt_file", new StoreOptions.Value(ca.toString(), "vault_plugin", 5));
        }
        return new VaultStore(INFO, VaultSettings.fromOptions(new StoreOptions("t.conf", Path.of("/"), values)),
                Clock.systemUTC());
    }

    @Test
    void httpsWithTheConfiguredCaWorksAndWithoutItIsRefused() throws Exception {
        Path pem = dir.resolve("vault-ca.pem");
        try (FakeVaultServer vault = FakeVaultServer.startTls(serverTls(dir.resolve("vault.p12"), pem))) {
            assertThat(vault.url()).startsWith("https://");
            try (VaultStore trusting = open(vault, pem)) {
                SecretBinding b = new SecretBinding(UUID.randomUUID().toString(), "p1", INFO.id());
                assertThat(trusting.retrieve(b, trusting.store(b, new byte[] {42}))).containsExactly(42);
            }
            try (VaultStore systemTrust = open(vault, null)) {
                assertThatThrownBy(() -> systemTrust.store(new SecretBinding(UUID.randomUUID().toString(), "p1",
                        INFO.id()), new byte[] {1})).isInstanceOfSatisfying(StoreException.class,
                                e -> {
                                    assertThat(e.unavailable()).isTrue();
                                    assertThat(e.getMessage()).contains("TLS verification").contains("ssl_ca_crt_file");
                                });
            }
        }
    }
}
