package org.portcullis.stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The metering wrapper counts what a backend does and how it fails, and passes both through unchanged. */
class MeteredStoreTest {
    /** A backend that is down until told otherwise. */
    private static final class Backend implements SecretStore {
        boolean down = true;

        @Override
        public StoreInfo info() {
            return new StoreInfo("id-1", "hsm", "store_crypto", "p11_crypto", true, 0, 0);
        }

        @Override
        public StoredRef store(SecretBinding binding, byte[] payload) {
            if (down) {
                throw StoreException.unavailable("the HSM does not answer", null);
            }
            return null;
        }

        @Override
        public byte[] retrieve(SecretBinding binding, StoredRef ref) {
            throw new StoreException("integrity check failed", null, true);
        }

        @Override
        public void delete(SecretBinding binding, StoredRef ref) {}

        @Override
        public StoreHealth health() {
            return StoreHealth.healthy("fine", 1);
        }
    }

    @Test
    void failuresAreCountedByKindAndTheStoreIsDownUntilAnOperationSucceeds() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Backend backend = new Backend();
        SecretStore store = new MeteredStore(backend, registry);

        assertThatThrownBy(() -> store.store(null, new byte[1])).isInstanceOf(StoreException.class);
        assertThat(registry.get("portcullis.store.up").tag("store", "hsm").gauge().value()).isZero();
        assertThat(registry.get("portcullis.store.errors").tags("store", "hsm", "operation", "store", "kind",
                "unavailable").counter().count()).isEqualTo(1);

        assertThatThrownBy(() -> store.retrieve(null, null)).isInstanceOf(StoreException.class);
        assertThat(registry.get("portcullis.store.errors").tags("operation", "retrieve", "kind", "tampered")
                .counter().count()).isEqualTo(1);

        backend.down = false;
        store.store(null, new byte[1]);
        assertThat(registry.get("portcullis.store.up").gauge().value()).isEqualTo(1);
        assertThat(registry.get("portcullis.store.operations").tags("store", "hsm", "operation", "store").timer()
                .count()).isEqualTo(2);
    }
}
