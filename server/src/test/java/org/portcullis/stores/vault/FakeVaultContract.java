package org.portcullis.stores.vault;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.portcullis.stores.SecretStoreContract;

/** The store contract against {@link FakeVaultServer}; subclasses pick KV version and login. */
abstract class FakeVaultContract extends SecretStoreContract {
    protected static FakeVaultServer vault;

    @BeforeAll
    static void startVault() throws Exception {
        vault = FakeVaultServer.start();
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    /** The plugin lines of {@code [secretstore:under-test]} after {@code secret_store_plugin}. */
    protected abstract String vaultLines();

    @Override
    protected String storeConfig(Path dir) {
        return """
                [secretstore:%s]
                secret_store_plugin = vault_plugin
                global_default = True
                %s
                """.formatted(STORE, vaultLines());
    }
}

/** KV v2 (Castellan's default) with a root token. */
class VaultKv2ContractIT extends FakeVaultContract {
    @Override
    protected String vaultLines() {
        return "vault_url = " + vault.url() + "\nroot_token_id = " + vault.createToken("") + "\nkv_path = barbican";
    }
}

/** KV v1 at another mount, with a root token. */
class VaultKv1ContractIT extends FakeVaultContract {
    @Override
    protected String vaultLines() {
        return "vault_url = " + vault.url() + "\nroot_token_id = " + vault.createToken("")
                + "\nkv_mountpoint = kv1\nkv_version = 1";
    }
}

/** KV v2 inside a namespace, logged in through AppRole. */
class VaultAppRoleContractIT extends FakeVaultContract {
    @Override
    protected String vaultLines() {
        String[] role = vault.createAppRole("team/prod");
        return "vault_url = " + vault.url() + "\napprole_role_id = " + role[0] + "\napprole_secret_id = " + role[1]
                + "\nnamespace = team/prod\nkv_path = openstack/barbican";
    }
}
