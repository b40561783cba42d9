package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePermissionsTest {
    @TempDir
    Path dir;

    private Path file(String name, String mode) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, "key material\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void worldReadableFileIsRefusedWithTheFix() throws Exception {
        Path f = file("kek", "rw-r--r--");
        assertThatThrownBy(() -> FilePermissions.requireOwnerOnly(f, "a master KEK"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("a master KEK")
                .hasMessageContaining("0644")
                .hasMessageContaining("chmod 400 " + f);
    }

    @Test
    void groupOnlyAccessIsRefusedToo() throws Exception {
        Path readable = file("g-read", "r--r-----");
        Path writable = file("g-write", "rw--w----");
        Path executable = file("o-exec", "r-------x");
        for (Path f : List.of(readable, writable, executable)) {
            assertThatThrownBy(() -> FilePermissions.requireOwnerOnly(f, "a master KEK"))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("chmod 400");
        }
    }

    @Test
    void ownerOnlyModesAreAccepted() throws Exception {
        Path f0400 = file("kek-0400", "r--------");
        Path f0600 = file("kek-0600", "rw-------");
        assertThatCode(() -> FilePermissions.requireOwnerOnly(f0400, "a master KEK")).doesNotThrowAnyException();
        assertThatCode(() -> FilePermissions.requireOwnerOnly(f0600, "a master KEK")).doesNotThrowAnyException();
    }

    @Test
    void missingFileIsAConfigException() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> FilePermissions.requireOwnerOnly(missing, "a master KEK"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void modeIsPrintedInOctal() {
        assertThat(FilePermissions.mode(PosixFilePermissions.fromString("rw-r--r--"))).isEqualTo("0644");
        assertThat(FilePermissions.mode(PosixFilePermissions.fromString("r--------"))).isEqualTo("0400");
        assertThat(FilePermissions.mode(PosixFilePermissions.fromString("rwxr-x--x"))).isEqualTo("0751");
    }

    @Test
    void configWithInlineKekMustBeOwnerOnly() throws Exception {
        Path conf = file("barbican.conf", "rw-r--r--");
        IniFile withKek = IniFile.parse(conf.toString(), List.of("[simple_crypto_plugin]", "kek = abc"));
        assertThatThrownBy(() -> FilePermissions.requireNotWorldReadableIfSecret(conf, withKek))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[simple_crypto_plugin] kek")
                .hasMessageContaining("chmod 600 " + conf);
    }

    @Test
    void configWithoutInlineKekMayBeWorldReadable() throws Exception {
        Path conf = file("barbican.conf", "rw-r--r--");
        IniFile withFile = IniFile.parse(conf.toString(), List.of("[simple_crypto_plugin]", "kek_file = /k"));
        assertThatCode(() -> FilePermissions.requireNotWorldReadableIfSecret(conf, withFile)).doesNotThrowAnyException();
    }

    @Test
    void loadRefusesAWorldReadableConfigWithAnInlineKek() throws Exception {
        Path conf = dir.resolve("barbican.conf");
        Files.writeString(conf, "[secretstore]\nenable_multiple_secret_stores = True\nstores_lookup_suffix = a\n"
                + "[secretstore:a]\nsecret_store_plugin = store_crypto\nglobal_default = True\n"
                + "kek = dGhpcnR5X3R3b19ieXRlX2tleWJsYWhibGFoYmxhaG8=\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> ConfigLoader.load(conf))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore:a] kek")
                .hasMessageContaining("chmod 600 " + conf);

        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        assertThat(ConfigLoader.load(conf).stores().globalDefault().kek().inlineBase64())
                .isEqualTo("dGhpcnR5X3R3b19ieXRlX2tleWJsYWhibGFoYmxhaG8=");
    }

    @Test
    void configWithTheKeystoneServicePasswordMustBeOwnerOnly() throws Exception {
        Path conf = file("barbican.conf", "rw-r-----");
        IniFile withPassword = IniFile.parse(conf.toString(), List.of("[keystone_authtoken]", "password = s3cret"));
        assertThatThrownBy(() -> FilePermissions.requireNotWorldReadableIfSecret(conf, withPassword))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[keystone_authtoken] password")
                .hasMessageContaining("chmod 600 " + conf)
                .hasMessageNotContaining("s3cret");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        assertThatCode(() -> FilePermissions.requireNotWorldReadableIfSecret(conf, withPassword))
                .doesNotThrowAnyException();
    }
}
