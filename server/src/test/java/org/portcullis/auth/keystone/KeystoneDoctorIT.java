package org.portcullis.auth.keystone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.health.Finding;
import org.portcullis.health.Finding.Status;
import org.portcullis.testing.Keystone;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/** The doctor's Keystone check logs the service user in at the real Keystone, and names refused credentials. */
class KeystoneDoctorIT {
    private static PortcullisConfig config(List<String> lines) throws Exception {
        Path dir = Files.createTempDirectory("portcullis-doctor-ks");
        return ConfigLoader.load(TestServer.writeConfig(dir, TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir), lines));
    }

    @Test
    void theServiceUserLogsInAndAWrongPasswordFails() throws Exception {
        Keystone keystone = Keystone.fromEnvironment();
        Finding ok = KeystoneDoctor.check(config(keystone.authtokenConfig(keystone.url, 300)).auth().keystone());
        assertThat(ok.status()).as(ok.message()).isEqualTo(Status.PASS);
        assertThat(ok.message()).contains("service user barbican logged in");

        List<String> wrong = new ArrayList<>();
        for (String line : keystone.authtokenConfig(keystone.url, 300)) {
            wrong.add(line.startsWith("password = ") ? "password = not-the-password" : line);
        }
        Finding refused = KeystoneDoctor.check(config(wrong).auth().keystone());
        assertThat(refused.status()).isEqualTo(Status.FAIL);
        assertThat(refused.message()).contains("refused the service credentials").doesNotContain("not-the-password");
        assertThat(refused.fix()).contains("password");
    }
}
