package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigException;
import org.portcullis.stores.software.MasterKek;

class AuditKeyTest {
    @TempDir
    Path dir;

    private Path keyFile(byte[] raw, String mode) throws Exception {
        Path f = dir.resolve("audit-key-" + mode);
        Files.writeString(f, Base64.getEncoder().encodeToString(raw) + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void aKeyFileMustBeOwnerOnlyAndLongEnough() throws Exception {
        byte[] raw = new byte[32];
        raw[0] = 1;
        assertThat(AuditKey.fromFile(keyFile(raw, "r--------")).keyId()).isEqualTo(AuditKey.of(raw, "x").keyId());
        assertThat(AuditKey.fromFile(keyFile(raw, "rw-------")).keyId()).hasSize(16);
        assertThatThrownBy(() -> AuditKey.fromFile(keyFile(raw, "rw-r--r--"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("accessible to group or others").hasMessageContaining("chmod 400");
        assertThatThrownBy(() -> AuditKey.fromFile(keyFile(new byte[16], "r-----r--"))).isInstanceOf(ConfigException.class);
        Path shortKey = dir.resolve("short");
        Files.writeString(shortKey, Base64.getEncoder().encodeToString(new byte[16]));
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("r--------"));
        assertThatThrownBy(() -> AuditKey.fromFile(shortKey)).hasMessageContaining("at least 32 bytes");
    }

    @Test
    void theDerivedKeyIsStablePerKekAndItsIdRevealsNeitherKey() {
        byte[] raw = new byte[32];
        for (int i = 0; i < 32; i++) {
            raw[i] = (byte) i;
        }
        AuditKey a = AuditKey.fromMasterKek(MasterKek.of(raw, "a"));
        AuditKey b = AuditKey.fromMasterKek(MasterKek.of(raw, "b"));
        raw[0] = 9;
        AuditKey c = AuditKey.fromMasterKek(MasterKek.of(raw, "c"));
        assertThat(a.keyId()).isEqualTo(b.keyId()).isNotEqualTo(c.keyId());
        assertThat(a.keyId()).isNotEqualTo(MasterKek.of(new byte[32], "z").keyId().substring(0, 16));
        assertThat(a.toString()).doesNotContain(java.util.HexFormat.of().formatHex(raw));
    }
}
