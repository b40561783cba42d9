package org.portcullis.stores.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.portcullis.config.StoreOptions;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoreInfo;
import org.portcullis.stores.StoredRef;

/**
 * Entries Barbican's vault_plugin wrote (castellan's layout: KV v2 at {@code {mount}/data/{key id}},
 * {@code value} = hex of the payload), read in place through an adopted reference that names its
 * secret. The entries are written here as castellan writes them, over Vault's HTTP API.
 */
class VaultAdoptedEntryTest {
    private static final StoreInfo INFO = new StoreInfo(UUID.randomUUID().toString(), "vault", "vault_plugin", null,
            true, 0, 0);

    private FakeVaultServer vault;
    private String token;
    private VaultStore store;

    @BeforeEach
    void start() throws Exception {
        vault = FakeVaultServer.start();
        token = vault.createToken("");
        Map<String, StoreOptions.Value> values = new LinkedHashMap<>();
        values.put("vault_url", new StoreOptions.Value(vault.url(), "vault_plugin", 1));
        values.put("root_token_id", new StoreOptions.Value(token, "vault_plugin", 2));
        values.put("kv_path", new StoreOptions.Value("portcullis", "vault_plugin", 3));
        store = new VaultStore(INFO, VaultSettings.fromOptions(new StoreOptions("t.conf", Path.of("/"), values)),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        store.close();
        vault.close();
    }

    @Test
    void readsTheEntryInPlaceForItsOwnSecretOnly() throws Exception {
        byte[] payload = "barbican's payload \u2713".getBytes(StandardCharsets.UTF_8);
        String keyId = CastellanVaultWrites.write(vault, token, payload);
        SecretBinding b = new SecretBinding(UUID.randomUUID().toString(), "p1", INFO.id());
        StoredRef ref = VaultStore.adoptedRef(b.secretId(), "secret", keyId);

        assertThat(store.retrieve(b, ref)).isEqualTo(payload);
        assertThat(vault.entries("secret")).isEqualTo(1); // nothing moved or copied

        SecretBinding other = new SecretBinding(UUID.randomUUID().toString(), "p1", INFO.id());
        assertThatThrownBy(() -> store.retrieve(other, ref)).isInstanceOf(StoreException.class)
                .hasMessageContaining("belongs to another secret");

        vault.tamper("", "secret", keyId, "value", "not hex");
        assertThatThrownBy(() -> store.retrieve(b, ref)).isInstanceOf(StoreException.class)
                .hasMessageContaining("no hex value");
    }

    @Test
    void deletingThroughPortcullisDestroysTheEntryAndAMissingEntryIsNamed() throws Exception {
        String keyId = CastellanVaultWrites.write(vault, token, new byte[] {0, 1, 2, (byte) 0xff});
        SecretBinding b = new SecretBinding(UUID.randomUUID().toString(), "p1", INFO.id());
        StoredRef ref = VaultStore.adoptedRef(b.secretId(), "secret", keyId);
        store.delete(b, ref);
        assertThat(vault.exists("", "secret", keyId)).isFalse();
        assertThatThrownBy(() -> store.retrieve(b, ref)).isInstanceOf(StoreException.class)
                .hasMessageContaining("has no entry secret/" + keyId);
    }

    @Test
    void refusesAReferenceThatIsNotAPlainVaultPath() {
        assertThatThrownBy(() -> VaultStore.adoptedRef("s", "secret", "../sys/seal"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
