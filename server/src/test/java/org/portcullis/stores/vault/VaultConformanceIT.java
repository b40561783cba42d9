package org.portcullis.stores.vault;

import org.junit.jupiter.api.Test;
import org.portcullis.conformance.ConformanceIT;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/** The Barbican CLI conformance script with the Vault store (on the fake) as global default. */
class VaultConformanceIT {
    @Test
    void barbicanClientsPassWithVaultAsGlobalDefault() throws Exception {
        try (FakeVaultServer vault = FakeVaultServer.start();
                TestServer server = VaultNodes.start(TestDatabases.Kind.SQLITE, vault, true,
                        "\n[oslo_policy]\nenforce_new_defaults = False")) {
            ConformanceIT.assertScriptPasses(server, "SQLite, Vault store (fake) as global default");
        }
    }
}
