package org.portcullis.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.portcullis.config.ConfigException;
import org.portcullis.config.PortcullisConfig.TlsSettings;
import org.portcullis.testing.TestCertificates;
import org.portcullis.testing.TestCertificates.KeyForm;

/** PEM files as openssl writes them (the real binary makes them). */
class PemFilesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyForm.class)
    void readsEveryKeyFormOpensslWritesAndMatchesItToItsCertificate(KeyForm form) throws Exception {
        TestCertificates certs = TestCertificates.create(dir, form);
        String header = Files.readString(certs.serverKey()).lines().findFirst().orElseThrow();
        assertThat(header).isEqualTo(switch (form) {
            case RSA_PKCS8, EC_PKCS8 -> "-----BEGIN PRIVATE KEY-----";
            case RSA_PKCS1 -> "-----BEGIN RSA PRIVATE KEY-----";
            case EC_SEC1 -> "-----BEGIN EC PRIVATE KEY-----";
        });
        PrivateKey key = PemFiles.privateKey(certs.serverKey());
        assertThat(key.getAlgorithm()).isEqualTo(form.name().startsWith("RSA") ? "RSA" : "EC");
        List<X509Certificate> chain = PemFiles.certificates(certs.serverCert());
        PemFiles.requireMatch(key, chain.get(0), certs.serverKey(), certs.serverCert());
        // the whole context builds
        assertThat(TlsContexts.server(new TlsSettings(certs.serverCert(), certs.serverKey(), null, false))).isNotNull();
    }

    @Test
    void readsAChainInFileOrder() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, Files.readString(certs.serverCert()) + "\n" + Files.readString(certs.caCert()));
        List<X509Certificate> read = PemFiles.certificates(chain);
        assertThat(read).hasSize(2);
        assertThat(read.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(read.get(1).getSubjectX500Principal().getName()).isEqualTo("CN=Portcullis Test CA");
    }

    @Test
    void refusesAKeyThatBelongsToAnotherCertificate() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        assertThatThrownBy(() -> PemFiles.requireMatch(PemFiles.privateKey(certs.clientKey()),
                PemFiles.certificates(certs.serverCert()).get(0), certs.clientKey(), certs.serverCert()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls_key_file " + certs.clientKey() + " does not match");
        TestCertificates ec = TestCertificates.create(dir.resolve("ec"), KeyForm.EC_PKCS8);
        assertThatThrownBy(() -> PemFiles.requireMatch(PemFiles.privateKey(ec.clientKey()),
                PemFiles.certificates(ec.serverCert()).get(0), ec.clientKey(), ec.serverCert()))
                .hasMessageContaining("does not match");
    }

    @Test
    void refusesEncryptedKeysAndFilesWithoutPem() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        Path encrypted = dir.resolve("enc.key");
        TestCertificates.openssl(dir, "pkcs8", "-topk8", "-in", certs.serverKey().toString(), "-out",
                encrypted.toString(), "-passout", "pass:secret");
        assertThatThrownBy(() -> PemFiles.privateKey(encrypted))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("encrypted")
                .hasMessageContaining("openssl pkey -in " + encrypted);
        assertThatThrownBy(() -> PemFiles.privateKey(certs.serverCert())).hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> PemFiles.certificates(certs.serverKey())).hasMessageContaining("no PEM certificate");
    }
}
