package org.portcullis.stores.pkcs11;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.conformance.ConformanceIT;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/** The Barbican CLI conformance script with the PKCS#11 (SoftHSM2) store as global default. */
class Pkcs11ConformanceIT {
    @Test
    void barbicanClientsPassWithPkcs11AsGlobalDefault() throws Exception {
        try (TestServer server = TestServer.startWithDefaultStore(TestDatabases.Kind.SQLITE, "pkcs11",
                List.of("[oslo_policy]", "enforce_new_defaults = False"))) {
            ConformanceIT.assertScriptPasses(server, "SQLite, PKCS#11 (SoftHSM2) store as global default");
        }
    }
}
