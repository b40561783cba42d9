package org.portcullis.kmip;

import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PyKMIP server started by {@code scripts/kmip.sh start DIR} (which {@code ./portcullis test}
 * runs), as seen through its {@code PORTCULLIS_TEST_KMIP_*} variables. Without them a test fails
 * when {@code CI=true} or {@code PORTCULLIS_REQUIRE_SERVICES=1}, and is skipped otherwise.
 */
record TestKmipServer(String host, int port, Path ca, Path cert, Path key, Path otherCert, Path otherKey) {
    static TestKmipServer require() {
        String port = System.getenv("PORTCULLIS_TEST_KMIP_PORT");
        if (port == null || port.isEmpty()) {
            String message = "no PyKMIP server: run scripts/kmip.sh start DIR and export its PORTCULLIS_KMIP_* lines "
                    + "as PORTCULLIS_TEST_KMIP_* (./portcullis test does this)";
            if ("true".equals(System.getenv("CI")) || "1".equals(System.getenv("PORTCULLIS_REQUIRE_SERVICES"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return new TestKmipServer(env("HOST"), Integer.parseInt(port), Path.of(env("CA")), Path.of(env("CERT")),
                Path.of(env("KEY")), Path.of(env("OTHER_CERT")), Path.of(env("OTHER_KEY")));
    }

    private static String env(String name) {
        String v = System.getenv("PORTCULLIS_TEST_KMIP_" + name);
        if (v == null) {
            throw new IllegalStateException("PORTCULLIS_TEST_KMIP_" + name + " is not set");
        }
        return v;
    }

    KmipClientConfig config() {
        return KmipClientConfig.of(host, port, PemTls.context(cert, key, ca));
    }

    KmipClientConfig otherConfig() {
        return KmipClientConfig.of(host, port, PemTls.context(otherCert, otherKey, ca));
    }
}
