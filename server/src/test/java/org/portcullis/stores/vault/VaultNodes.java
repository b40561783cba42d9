package org.portcullis.stores.vault;

import java.nio.file.Path;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * Nodes with a Vault store beside a software store, configured as Barbican's multiple-backend
 * guide writes it ({@code stores_lookup_suffix = software, vault} + {@code [vault_plugin]}).
 * The conformance run with Vault as global default and the API tests start their nodes here.
 */
public final class VaultNodes {
    private VaultNodes() {}

    /** The configuration text; {@code extra} is appended (e.g. an {@code [oslo_policy]} section). */
    public static String config(Path dir, String sqlConnection, String vaultUrl, String token, boolean vaultDefault,
            String extra) throws Exception {
        return TestServer.multiStoreHead(sqlConnection, dir, "software, vault") + """

                [secretstore:software]
                secret_store_plugin = store_crypto
                crypto_plugin = simple_crypto
                global_default = %s

                [secretstore:vault]
                secret_store_plugin = vault_plugin
                global_default = %s

                [simple_crypto_plugin]
                kek_file = %s

                [vault_plugin]
                vault_url = %s
                root_token_id = %s
                kv_mountpoint = secret
                kv_path = barbican
                timeout = 10
                %s
                """.formatted(!vaultDefault, vaultDefault, TestServer.kek(dir.resolve("kek")),
                vaultUrl, token, extra);
    }

    /** A {@code vault} store (not the default) and its {@code [vault_plugin]} section, on {@code vault}. */
    public static String storeSection(FakeVaultServer vault) {
        return """
                [secretstore:vault]
                secret_store_plugin = vault_plugin

                [vault_plugin]
                vault_url = %s
                root_token_id = %s
                kv_mountpoint = secret
                kv_path = barbican
                """.formatted(vault.url(), vault.createToken(""));
    }

    /** A fresh node on {@code kind} whose Vault store talks to {@code vault}. */
    public static TestServer start(TestDatabases.Kind kind, FakeVaultServer vault, boolean vaultDefault, String extra)
            throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("portcullis-vault-it");
        String sql = TestDatabases.fresh(kind, dir);
        return TestServer.startWithConfig(dir, config(dir, sql, vault.url(), vault.createToken(""), vaultDefault, extra));
    }
}
