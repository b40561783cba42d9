package org.portcullis.testing;

import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PyKMIP server that {@code scripts/kmip.sh start DIR} runs (and {@code ./portcullis test}
 * starts), seen through its {@code PORTCULLIS_TEST_KMIP_*} variables, and the configuration lines
 * of a {@code kmip_plugin} store that uses it. Without the variables a test fails when
 * {@code CI=true} or {@code PORTCULLIS_REQUIRE_SERVICES=1} and is skipped otherwise.
 */
public final class KmipTestStore {
    private KmipTestStore() {}

    /** Whether the variables are there. */
    public static boolean available() {
        String port = System.getenv("PORTCULLIS_TEST_KMIP_PORT");
        return port != null && !port.isEmpty();
    }

    /** Skips (or, in CI, fails) the calling test when there is no PyKMIP server. */
    public static void require() {
        if (available()) {
            return;
        }
        String message = "no PyKMIP server: run scripts/kmip.sh start DIR and export its PORTCULLIS_KMIP_* lines as "
                + "PORTCULLIS_TEST_KMIP_* (./portcullis test does this)";
        if ("true".equals(System.getenv("CI")) || "1".equals(System.getenv("PORTCULLIS_REQUIRE_SERVICES"))) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    public static String env(String name) {
        String v = System.getenv("PORTCULLIS_TEST_KMIP_" + name);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("PORTCULLIS_TEST_KMIP_" + name + " is not set");
        }
        return v;
    }

    /** The {@code [kmip_plugin]} section for the test server, with the primary client identity. */
    public static List<String> pluginSection() {
        require();
        return List.of("[kmip_plugin]", "host = " + env("HOST"), "port = " + env("PORT"), "certfile = " + env("CERT"),
                "keyfile = " + env("KEY"), "ca_certs = " + env("CA"), "ssl_version = PROTOCOL_TLSv1_2");
    }

    /** {@code [secretstore:NAME]} for a kmip_plugin store, plus {@link #pluginSection()}. */
    public static List<String> storeSections(String name, boolean globalDefault) {
        List<String> lines = new java.util.ArrayList<>(List.of("[secretstore:" + name + "]",
                "secret_store_plugin = kmip_plugin", "global_default = " + (globalDefault ? "True" : "False"), ""));
        lines.addAll(pluginSection());
        return lines;
    }
}
