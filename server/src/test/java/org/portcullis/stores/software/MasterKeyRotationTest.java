package org.portcullis.stores.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.ConfigException;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.stores.KeyRotation;
import org.portcullis.testing.SoftHsm;
import org.portcullis.testing.StoreNode;
import org.portcullis.testing.TestServer;

/**
 * The key lifecycle on one SQLite file: a new kek_file with the old key in previous_kek_files
 * starts a rotation; dropping the old key too early is refused with a count; re-wrap and reseal
 * keep every payload's bytes; the old key ends retired and a node with only it is refused.
 */
class MasterKeyRotationTest {
    @TempDir
    Path dir;

    private StoreNode node(Path kek, Path previous) throws Exception {
        return StoreNode.start(dir, """
                [simple_crypto_plugin]
                kek_file = %s
                %s
                """.formatted(kek, previous == null ? "" : "previous_kek_files = " + previous));
    }

    @Test
    void aRotationRunsFromStartToRetirement() throws Exception {
        Path oldKek = TestServer.kek(dir.resolve("old"));
        Path newKek = TestServer.kek(dir.resolve("new"));
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        try (StoreNode n = node(oldKek, null)) {
            for (int i = 0; i < 6; i++) {
                payloads.put(n.write("project-" + (i % 2), new byte[] {(byte) i, 42}), new byte[] {(byte) i, 42});
            }
        }
        String oldId = MasterKek.load(new PortcullisConfig.KekSource("t", oldKek, null)).keyId();

        try (StoreNode n = node(newKek, oldKek)) { // starts the rotation
            KeyRotation r = n.store().keyRotation().orElseThrow();
            assertThat(r.usage()).contains(new KeyRotation.KeyUse(oldId, "previous", 2, 6));
            assertThat(r.pendingProjectKeks()).isEqualTo(2);
            n.readAll(payloads);
            String conf = dir.resolve("portcullis.conf").toString();
            SoftHsm.Result status = SoftHsm.manage("kek", "status", "--config", conf);
            assertThat(status.exit()).isEqualTo(1);
            assertThat(status.out()).containsPattern(oldId + "\\s+previous\\s+2\\s+6");
            SoftHsm.Result dryRun = SoftHsm.manage("kek", "rotate", "--config", conf, "--reseal", "--dry-run");
            assertThat(dryRun.exit()).isZero();
            assertThat(dryRun.out()).contains("2 project KEK(s) and 6 payload(s) to move", "dry run: nothing changed");
            assertThat(r.pendingProjectKeks()).isEqualTo(2);
        }
        assertThatThrownBy(() -> node(newKek, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("2 project KEK(s) are still wrapped by master KEK " + oldId);
        assertThatThrownBy(() -> node(oldKek, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("was replaced by master KEK");

        try (StoreNode n = node(newKek, oldKek)) {
            KeyRotation r = n.store().keyRotation().orElseThrow();
            List<KeyRotation.Change> all = new ArrayList<>();
            while (r.step(4, true, all::addAll) > 0) {
                n.readAll(payloads);
            }
            assertThat(all.stream().filter(c -> c.kind().equals("reseal"))).hasSize(6);
            assertThat(all.stream().filter(c -> c.kind().equals("new-kek"))).hasSize(2);
            assertThat(all.stream().filter(c -> c.kind().equals("rewrap"))).hasSize(2);
            assertThat(r.step(4, true, all::addAll)).isZero(); // idempotent: nothing left
            assertThat(r.retireUnused()).containsExactly(oldId);
            assertThat(r.usage()).contains(new KeyRotation.KeyUse(oldId, "retired", 0, 0));
            n.readAll(payloads);
            SoftHsm.Result status = SoftHsm.manage("kek", "status", "--config", dir.resolve("portcullis.conf").toString());
            assertThat(status.exit()).isZero();
            assertThat(status.out()).containsPattern(oldId + "\\s+retired\\s+0\\s+0");
        }
        assertThatThrownBy(() -> node(oldKek, null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("was retired by a master-key rotation");
        try (StoreNode n = node(newKek, null)) {
            n.readAll(payloads);
        }
    }
}
