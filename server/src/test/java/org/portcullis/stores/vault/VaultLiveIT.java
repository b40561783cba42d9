package org.portcullis.stores.vault;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.portcullis.stores.SecretStoreContract;

/**
 * The store contract against a real Vault or OpenBao server — opt-in, because none can be
 * installed where this project is built (see the README's backend table). Set
 * {@code VAULT_ADDR} and {@code VAULT_TOKEN} (e.g. {@code vault server -dev}, whose KV v2 engine
 * is at {@code secret/}); optionally {@code VAULT_KV_MOUNT} (default {@code secret}),
 * {@code VAULT_KV_VERSION} (default 2) and {@code VAULT_NAMESPACE}. Entries go under
 * {@code portcullis-live-test/} and are destroyed by the tests that write them.
 */
class VaultLiveIT extends SecretStoreContract {
    @BeforeAll
    static void requireServer() {
        Assumptions.assumeTrue(System.getenv("VAULT_ADDR") != null && System.getenv("VAULT_TOKEN") != null,
                "no live Vault: set VAULT_ADDR and VAULT_TOKEN to run the store contract against a real Vault or "
                        + "OpenBao server (none can be installed on this machine; the fake-backed *ContractIT run instead)");
    }

    @Override
    protected String storeConfig(Path dir) {
        String namespace = System.getenv("VAULT_NAMESPACE");
        return """
                [secretstore:%s]
                secret_store_plugin = vault_plugin
                global_default = True
                vault_url = %s
                root_token_id = %s
                kv_mountpoint = %s
                kv_version = %s
                kv_path = portcullis-live-test
                %s
                """.formatted(STORE, System.getenv("VAULT_ADDR"), System.getenv("VAULT_TOKEN"),
                env("VAULT_KV_MOUNT", "secret"), env("VAULT_KV_VERSION", "2"),
                namespace == null ? "" : "namespace = " + namespace);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
