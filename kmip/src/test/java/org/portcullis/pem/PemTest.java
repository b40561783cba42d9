package org.portcullis.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private keys in the PEM forms openssl writes: each legacy form (SEC1, PKCS#1) must load as the
 * same key as its PKCS#8 conversion by openssl itself.
 */
class PemTest {
    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("openssl is not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void sec1EcKeyLoadsAsItsPkcs8Form() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", "sec1.pem", "-out", "pkcs8.pem");
        assertThat(Files.readString(dir.resolve("sec1.pem"))).contains("BEGIN EC PRIVATE KEY");

        PrivateKey legacy = Pem.privateKey(dir.resolve("sec1.pem"));
        PrivateKey pkcs8 = Pem.privateKey(dir.resolve("pkcs8.pem"));

        assertThat(legacy.getAlgorithm()).isEqualTo("EC");
        assertThat(((java.security.interfaces.ECPrivateKey) legacy).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) pkcs8).getS());
    }

    @Test
    void pkcs1RsaKeyLoadsAsItsPkcs8Form() throws Exception {
        openssl("genrsa", "-traditional", "-out", "pkcs1.pem", "2048");
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", "pkcs1.pem", "-out", "pkcs8.pem");
        assertThat(Files.readString(dir.resolve("pkcs1.pem"))).contains("BEGIN RSA PRIVATE KEY");

        PrivateKey legacy = Pem.privateKey(dir.resolve("pkcs1.pem"));

        assertThat(legacy.getAlgorithm()).isEqualTo("RSA");
        assertThat(legacy.getEncoded()).isEqualTo(Pem.privateKey(dir.resolve("pkcs8.pem")).getEncoded());
    }

    @Test
    void encryptedKeyIsRefusedWithAHint() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-128-cbc", "-pass",
                "pass:x", "-out", "enc.pem");

        assertThatThrownBy(() -> Pem.privateKey(dir.resolve("enc.pem"))).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("encrypted private key").hasMessageContaining("openssl pkey -in " + dir.resolve("enc.pem"));
    }

    @Test
    void fileWithoutAKeyIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("none.pem"), "not pem\n");
        assertThatThrownBy(() -> Pem.privateKey(file)).hasMessageContaining("holds no PEM private key");
        assertThatThrownBy(() -> Pem.certificates(file)).hasMessageContaining("holds no PEM certificate");
    }
}
