package org.portcullis.stores.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigException;
import org.portcullis.config.PortcullisConfig.KekSource;

class MasterKekTest {
    @TempDir
    Path dir;

    private static byte[] key(int seed) {
        byte[] raw = new byte[32];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (seed * 31 + i);
        }
        return raw;
    }

    private Path kekFile(String name, String content, String mode) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private static KekSource fromFile(Path file) {
        return new KekSource("[simple_crypto_plugin] kek_file", file, null);
    }

    @Test
    void loadsAnOwnerOnlyFile() throws Exception {
        byte[] raw = key(1);
        Path f = kekFile("kek", Base64.getEncoder().encodeToString(raw) + "\n", "r--------");

        MasterKek kek = MasterKek.load(fromFile(f));

        assertThat(kek.key().getEncoded()).isEqualTo(raw);
        assertThat(kek.key().getAlgorithm()).isEqualTo("AES");
        assertThat(kek.origin()).isEqualTo(f.toString());
        assertThat(kek.keyId()).isEqualTo(MasterKek.of(raw, "test").keyId());
    }

    @Test
    void mode0600IsAcceptedToo() throws Exception {
        Path f = kekFile("kek", Base64.getEncoder().encodeToString(key(1)), "rw-------");
        assertThat(MasterKek.load(fromFile(f)).keyId()).isEqualTo(MasterKek.of(key(1), "x").keyId());
    }

    @Test
    void worldReadableFileIsRefused() throws Exception {
        Path f = kekFile("kek", Base64.getEncoder().encodeToString(key(1)), "rw-r--r--");
        assertThatThrownBy(() -> MasterKek.load(fromFile(f)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("chmod 400");
    }

    @Test
    void missingFileIsRefused() {
        Path f = dir.resolve("absent");
        assertThatThrownBy(() -> MasterKek.load(fromFile(f)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[simple_crypto_plugin] kek_file")
                .hasMessageContaining("does not exist");
    }

    @Test
    void wrongLengthIsRefused() throws Exception {
        Path f = kekFile("kek", Base64.getEncoder().encodeToString(new byte[16]), "r--------");
        assertThatThrownBy(() -> MasterKek.load(fromFile(f)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("32 bytes")
                .hasMessageContaining("16 bytes")
                .hasMessageContaining(f.toString());
    }

    @Test
    void notBase64IsRefused() throws Exception {
        Path f = kekFile("kek", "this is not a key at all!", "r--------");
        assertThatThrownBy(() -> MasterKek.load(fromFile(f)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid base64");
    }

    @Test
    void urlSafeBase64IsAccepted() throws Exception {
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) 0xfb); // standard base64 of 0xfb bytes is full of '+' and '/'
        String urlSafe = Base64.getUrlEncoder().encodeToString(raw);
        assertThat(urlSafe).contains("-").contains("_");
        Path f = kekFile("kek", urlSafe, "r--------");

        assertThat(MasterKek.load(fromFile(f)).key().getEncoded()).isEqualTo(raw);
    }

    @Test
    void inlineKekIsAccepted() {
        byte[] raw = key(7);
        MasterKek kek = MasterKek.load(new KekSource("[simple_crypto_plugin] kek", null,
                " " + Base64.getEncoder().encodeToString(raw) + " "));
        assertThat(kek.key().getEncoded()).isEqualTo(raw);
        assertThat(kek.origin()).isEqualTo("[simple_crypto_plugin] kek");
    }

    @Test
    void inlineWrongLengthNamesTheKey() {
        assertThatThrownBy(() -> MasterKek.load(new KekSource("[secretstore:a] kek", null, "AAAA")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("[secretstore:a] kek")
                .hasMessageContaining("3 bytes");
    }

    @Test
    void keyIdIsStableAndDistinguishesKeys() {
        MasterKek a1 = MasterKek.of(key(1), "one");
        MasterKek a2 = MasterKek.of(key(1), "two");
        MasterKek b = MasterKek.of(key(2), "three");

        assertThat(a1.keyId()).isEqualTo(a2.keyId()).matches("[0-9a-f]{16}");
        assertThat(b.keyId()).isNotEqualTo(a1.keyId());
        assertThat(a1.keyIdBytes()).hasSize(MasterKek.KEY_ID_BYTES);
    }

    @Test
    void keyIdDoesNotRevealTheKey() {
        byte[] raw = key(3);
        MasterKek kek = MasterKek.of(raw, "k");
        String hexKey = java.util.HexFormat.of().formatHex(raw);
        assertThat(hexKey).doesNotContain(kek.keyId());
        assertThat(kek.toString()).contains(kek.keyId()).doesNotContain(hexKey)
                .doesNotContain(Base64.getEncoder().encodeToString(raw));
    }

    @Test
    void ofCopiesAndChecksLength() {
        byte[] raw = key(4);
        MasterKek kek = MasterKek.of(raw, "k");
        raw[0] ^= 1;
        assertThat(kek.key().getEncoded()).isEqualTo(key(4));
        assertThatThrownBy(() -> MasterKek.of(new byte[31], "k")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyIdBytesIsADefensiveCopy() {
        MasterKek kek = MasterKek.of(key(5), "k");
        byte[] id = kek.keyIdBytes();
        id[0] ^= 1;
        assertThat(kek.keyIdBytes()).isNotEqualTo(id);
    }

    @Test
    void masterKekDerivesDistinctKeysPerPurposeWithoutRevealingItself() {
        byte[] raw = java.util.stream.IntStream.range(1, 33).collect(java.io.ByteArrayOutputStream::new, (o, i) -> o.write(i), (x, y) -> {}).toByteArray();
        MasterKek kek = MasterKek.of(raw, "test");
        byte[] audit = kek.derive("portcullis audit v1");
        assertThat(audit).hasSize(32).isNotEqualTo(raw).isNotEqualTo(kek.derive("something else"));
        assertThat(audit).isEqualTo(org.portcullis.crypto.Hkdf.derive(null, raw, "portcullis audit v1".getBytes(), 32));
    }
}
