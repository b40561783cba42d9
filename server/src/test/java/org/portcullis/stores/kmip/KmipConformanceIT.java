package org.portcullis.stores.kmip;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.conformance.ConformanceIT;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/** The Barbican CLI conformance script with the KMIP (PyKMIP) store as global default. */
class KmipConformanceIT {
    @Test
    void barbicanClientsPassWithKmipAsGlobalDefault() throws Exception {
        try (TestServer server = TestServer.startWithDefaultStore(TestDatabases.Kind.SQLITE, "kmip",
                List.of("[oslo_policy]", "enforce_new_defaults = False"))) {
            ConformanceIT.assertScriptPasses(server, "SQLite, KMIP (PyKMIP) store as global default");
        }
    }
}
