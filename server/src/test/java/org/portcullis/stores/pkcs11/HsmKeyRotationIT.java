package org.portcullis.stores.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.portcullis.config.ConfigException;
import org.portcullis.stores.KeyRotation;
import org.portcullis.testing.SoftHsm;
import org.portcullis.testing.StoreNode;

/**
 * Rotation of a PKCS#11 store on SoftHSM2: a new MKEK and HMAC key made by {@code manage hsm
 * gen-mkek / gen-hmac} under new labels become current, the old labels stay readable through
 * {@code previous_mkek_labels} / {@code previous_hmac_labels} until every project KEK is
 * re-wrapped (and, with reseal, every payload re-sealed); then the new labels alone read all. The
 * pairs follow the software store's lifecycle record (active, previous, retired): a node whose
 * labels the record says were replaced, retired or never used is refused at start.
 */
class HsmKeyRotationIT {
    private static final String STORES = """
            [secretstore]
            enable_multiple_secret_stores = True
            stores_lookup_suffix = hsm

            """;

    @Test
    void aNewKeyPairTakesOverAndTheOldLabelsEndUnused() throws Exception {
        SoftHsm.Env env = SoftHsm.require();
        Path dir = Files.createTempDirectory("hsm-rotation");
        String old = "rot-" + UUID.randomUUID();
        String fresh = "rot-" + UUID.randomUUID();
        String oldSection = SoftHsm.storeSection(env, "hsm", true, env.token(), old);
        String newSection = SoftHsm.storeSection(env, "hsm", true, env.token(), fresh);
        SoftHsm.createKeys(dir, oldSection, "hsm");
        SoftHsm.createKeys(dir, newSection, "hsm");
        String both = newSection + "previous_mkek_labels = " + old + "-mkek\nprevious_hmac_labels = " + old + "-hmac\n";

        Map<String, byte[]> payloads = new LinkedHashMap<>();
        String oldId;
        try (StoreNode n = StoreNode.start(dir, STORES + oldSection)) {
            for (int i = 0; i < 6; i++) {
                payloads.put(n.write("project-" + (i % 2), new byte[] {(byte) i, 7}), new byte[] {(byte) i, 7});
            }
            oldId = n.store().keyRotation().orElseThrow().currentKeyId();
        }
        // master_keys records the old pair as active: a node with only the new labels is refused at start.
        assertThatThrownBy(() -> StoreNode.start(dir, STORES + newSection)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not match the one that encrypted existing secrets (MKEK/HMAC pair " + oldId);
        try (StoreNode n = StoreNode.start(dir, STORES + both)) {
            n.readAll(payloads);
            KeyRotation r = n.store().keyRotation().orElseThrow();
            // the node holding both started the rotation: the old pair is previous, and needed
            assertThatThrownBy(() -> StoreNode.start(dir, STORES + oldSection)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("was replaced by MKEK/HMAC pair " + r.currentKeyId());
            assertThatThrownBy(() -> StoreNode.start(dir, STORES + newSection)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("2 project KEK(s) are still wrapped by MKEK/HMAC pair " + oldId);
            assertThat(r.usage()).anySatisfy(u -> {
                assertThat(u.keyId()).isEqualTo(oldId);
                assertThat(u.projectKeks()).isEqualTo(2);
                assertThat(u.payloads()).isEqualTo(6);
            });
            List<KeyRotation.Change> all = new ArrayList<>();
            while (r.step(4, true, all::addAll) > 0) {
                n.readAll(payloads);
            }
            assertThat(all.stream().filter(c -> c.kind().equals("reseal"))).hasSize(6);
            assertThat(r.pendingProjectKeks()).isZero();
            assertThat(r.retireUnused()).containsExactly(oldId);
            assertThat(r.usage()).anySatisfy(u -> assertThat(u).isEqualTo(new KeyRotation.KeyUse(oldId, "retired", 0, 0)));
        }
        try (StoreNode n = StoreNode.start(dir, STORES + newSection)) {
            n.readAll(payloads);
        }
        // the lifecycle record outlives the labels: a node with only the retired pair is refused, saying so
        assertThatThrownBy(() -> StoreNode.start(dir, STORES + oldSection)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("was retired by a master-key rotation");
    }
}
