package org.portcullis.stores.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.portcullis.stores.StoredRef;

class VaultRefTest {
    @Test
    void roundTripsAndHasAFixedLayout() {
        VaultRef ref = new VaultRef(2, 7, "secret", "barbican/p1/0b6c5f0e-1111-4222-8333-944445555666");
        byte[] bytes = ref.encode().bytes();
        assertThat(bytes[0]).isEqualTo((byte) 1);
        assertThat(bytes[1]).isEqualTo((byte) 2);
        assertThat(bytes[5]).isEqualTo((byte) 7);
        assertThat(bytes[6]).isEqualTo((byte) "secret".length());
        assertThat(VaultRef.decode(ref.encode())).isEqualTo(ref);
        assertThat(ref.leaf()).isEqualTo("0b6c5f0e-1111-4222-8333-944445555666");
        assertThat(VaultRef.decode(new VaultRef(1, 0, "kv/a", "x").encode())).isEqualTo(new VaultRef(1, 0, "kv/a", "x"));
    }

    @Test
    void refusesWhatIsNotAPlainRef() {
        assertThatThrownBy(() -> VaultRef.decode(new StoredRef(new byte[] {2, 2, 0, 0, 0, 1, 1, 'a', 'b'})))
                .isInstanceOf(IllegalArgumentException.class);
        // KV v2 version 0 would mean "latest" to Vault: never sent.
        assertThatThrownBy(() -> VaultRef.decode(new StoredRef(new byte[] {1, 2, 0, 0, 0, 0, 1, 'a', 'b'})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VaultRef(2, 1, "secret", "a/../b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VaultRef(2, 1, "secret", "a?version=2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VaultRef(1, 3, "secret", "a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void projectSegmentsArePlainOrHashed() {
        assertThat(VaultStore.projectSegment("6b7a3f1c9d8e4f2a8b7c6d5e4f3a2b1c")).isEqualTo("6b7a3f1c9d8e4f2a8b7c6d5e4f3a2b1c");
        assertThat(VaultStore.projectSegment("../../sys/seal")).matches("x-[0-9a-f]{32}");
        assertThat(VaultStore.projectSegment("a b")).isNotEqualTo(VaultStore.projectSegment("a c"));
    }
}
