package org.portcullis.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.health.Finding;
import org.portcullis.health.Finding.Status;
import org.portcullis.testing.TestCertificates;

/** The doctor's TLS certificate verdicts on real openssl certificates. */
class NodeChecksTest {
    @TempDir
    Path dir;

    @Test
    void aCertificateIsFineThenDueForRenewalThenExpired() throws Exception {
        Path longLived = dir.resolve("long.pem");
        TestCertificates.openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("long.key").toString(), "-out", longLived.toString(), "-days", "400",
                "-subj", "/CN=kms.example");
        Finding fine = NodeChecks.certificate(longLived, Instant.now());
        assertThat(fine.status()).as(fine.message()).isEqualTo(Status.PASS);
        assertThat(fine.message()).contains("CN=kms.example");

        Finding soon = NodeChecks.certificate(longLived, Instant.now().plus(Duration.ofDays(380)));
        assertThat(soon.status()).isEqualTo(Status.WARN);
        assertThat(soon.fix()).contains("renew");

        Finding expired = NodeChecks.certificate(longLived, Instant.now().plus(Duration.ofDays(401)));
        assertThat(expired.status()).isEqualTo(Status.FAIL);
        assertThat(expired.message()).contains("expired");
    }

    @Test
    void aMissingCertificateFileFails() {
        Finding f = NodeChecks.certificate(dir.resolve("nope.pem"), Instant.now());
        assertThat(f.status()).isEqualTo(Status.FAIL);
        assertThat(f.message()).contains("nope.pem");
    }
}
