package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretKeysTest {
    @TempDir
    Path dir;

    private static SecretKeys.Found find(String... lines) {
        return SecretKeys.first(IniFile.parse("barbican.conf", List.of(lines)));
    }

    @ParameterizedTest
    @CsvSource({
            "simple_crypto_plugin, kek, a master KEK",
            "secretstore:hsm, kek, a master KEK",
            "keystone_authtoken, password, a Keystone password",
            "keystone_authtoken, memcache_secret_key, the token cache key",
            "service_user, password, a Keystone password",
            "p11_crypto_plugin, login, an HSM PIN",
            "secretstore:hsm, login, an HSM PIN",
            "kmip_plugin, password, a KMIP password",
            "vault_plugin, root_token_id, a Vault token",
            "vault_plugin, approle_secret_id, a Vault AppRole secret"})
    void findsEverySecretBearingKey(String section, String key, String what) {
        assertThat(find("[" + section + "]", key + " = s3cret")).isEqualTo(new SecretKeys.Found(section, key, what));
    }

    @Test
    void urlsAreSecretOnlyWhenTheyCarryAPassword() {
        assertThat(find("[DEFAULT]", "sql_connection = postgresql://portcullis:pw@db:5432/portcullis"))
                .isEqualTo(new SecretKeys.Found("DEFAULT", "sql_connection", "a database password"));
        assertThat(find("[database]", "connection = postgresql://db:5432/portcullis?user=p&password=pw")).isNotNull();
        assertThat(find("[DEFAULT]", "transport_url = rabbit://guest:guest@mq:5672/")).isNotNull();
        assertThat(find("[DEFAULT]", "sql_connection = postgresql://portcullis@db:5432/portcullis")).isNull();
        assertThat(find("[DEFAULT]", "sql_connection = postgresql://db:5432/portcullis")).isNull();
        assertThat(find("[DEFAULT]", "sql_connection = sqlite:////var/lib/portcullis/p.sqlite")).isNull();
    }

    @Test
    void pathsAndNamesAreNotSecrets() {
        assertThat(find("[simple_crypto_plugin]", "kek_file = /etc/portcullis/kek")).isNull();
        assertThat(find("[p11_crypto_plugin]", "library_path = /usr/lib/softhsm/libsofthsm2.so")).isNull();
        assertThat(find("[keystone_authtoken]", "username = barbican", "password = ")).isNull();
        assertThat(find("[kmip_plugin]", "keyfile = /etc/kmip/key.pem")).isNull();
    }

    @Test
    void aGroupReadableConfigWithAKeystonePasswordIsRefusedNamingFileKeyAndChmod() throws Exception {
        Path conf = dir.resolve("barbican.conf");
        Files.writeString(conf, "[keystone_authtoken]\npassword = s3cret\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r-----"));
        IniFile ini = IniFile.read(conf);
        assertThatThrownBy(() -> FilePermissions.requireNotWorldReadableIfSecret(conf, ini))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(conf + " holds a Keystone password ([keystone_authtoken] password)")
                .hasMessageContaining("mode 0640")
                .hasMessageContaining("chmod 600 " + conf)
                .hasMessageNotContaining("s3cret");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        FilePermissions.requireNotWorldReadableIfSecret(conf, ini);
    }
}
