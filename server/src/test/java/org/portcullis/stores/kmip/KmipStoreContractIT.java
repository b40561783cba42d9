package org.portcullis.stores.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.portcullis.kmip.KmipOperationException;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStoreContract;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoredRef;
import org.portcullis.testing.KmipTestStore;

/** The store contract on {@code kmip_plugin} against a real PyKMIP server ({@code scripts/kmip.sh}). */
class KmipStoreContractIT extends SecretStoreContract {
    @Override
    protected String storeConfig(Path dir) {
        KmipTestStore.require();
        return String.join("\n", KmipTestStore.storeSections(STORE, true)) + "\n";
    }

    private KmipStore kmip() {
        return (KmipStore) store;
    }

    @Test
    void payloadLivesOnTheServerAndTheRowOnlyNamesIt() {
        SecretBinding b = binding("project-a");
        byte[] payload = "only on the KMIP server".getBytes(StandardCharsets.UTF_8);

        StoredRef ref = store.store(b, payload);

        String text = new String(ref.bytes(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("kmip1:").doesNotContain("only on");
        String uid = text.substring("kmip1:".length());
        assertThat(kmip().client().locate(java.util.List.of(org.portcullis.kmip.Attribute.name(KmipStore.bindingName(b))), 0))
                .containsExactly(uid);
    }

    @Test
    void deleteDestroysTheObjectOnTheServer() {
        SecretBinding b = binding("project-a");
        StoredRef ref = store.store(b, random(32));
        String uid = new String(ref.bytes(), StandardCharsets.UTF_8).substring("kmip1:".length());

        store.delete(b, ref);

        assertThatThrownBy(() -> kmip().client().get(uid)).isInstanceOf(KmipOperationException.ItemNotFound.class);
        store.delete(b, ref); // a second delete finds nothing to destroy and is not an error
    }

    @Test
    void deleteWithAnotherSecretsBindingDestroysNothing() {
        SecretBinding b = binding("project-a");
        byte[] payload = random(32);
        StoredRef ref = store.store(b, payload);

        assertThatThrownBy(() -> store.delete(binding("project-b"), ref)).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).tampered()).isTrue());

        assertThat(store.retrieve(b, ref)).isEqualTo(payload);
    }

    @Test
    void generatedAesKeyIsCreatedOnTheServer() {
        SecretBinding b = binding("project-a");

        StoredRef ref = store.generateSymmetric(b, "aes", 128, "cbc");

        String uid = new String(ref.bytes(), StandardCharsets.UTF_8).substring("kmip1:".length());
        assertThat(kmip().client().get(uid)).isInstanceOf(org.portcullis.kmip.ManagedObject.SymmetricKey.class);
        assertThat(store.retrieve(b, ref)).hasSize(16);
    }

    @Test
    void hmacAndXtsKeysAreGeneratedHereAndRegistered() {
        SecretBinding hmac = binding("project-a");
        SecretBinding xts = binding("project-a");

        assertThat(store.retrieve(hmac, store.generateSymmetric(hmac, "hmacsha256", 256, null))).hasSize(32);
        assertThat(store.retrieve(xts, store.generateSymmetric(xts, "aes", 512, "xts"))).hasSize(64);
    }
}
