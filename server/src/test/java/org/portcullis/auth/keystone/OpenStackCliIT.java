package org.portcullis.auth.keystone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.portcullis.testing.Keystone;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * The real {@code openstack} CLI (python3-openstackclient, python3-barbicanclient) logs in to the
 * real Keystone, finds Portcullis in the catalog as the key-manager service and stores, reads,
 * lists and deletes a secret. The endpoints live in a region of this test's own, so parallel runs
 * and other tests' nodes never see them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenStackCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Keystone keystone;
    private TestServer node;
    private final String region = "portcullis-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> endpoints = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        keystone = Keystone.fromEnvironment();
        node = TestServer.start(TestDatabases.Kind.SQLITE, keystone.authtokenConfig(keystone.url, 300));
        keystone.admin("POST", "/v3/regions", "{\"region\": {\"id\": \"" + region + "\"}}");
        String service = keystone.admin("GET", "/v3/services?type=key-manager", null).path("services").get(0)
                .path("id").asText();
        for (String iface : List.of("public", "internal", "admin")) {
            JsonNode e = keystone.admin("POST", "/v3/endpoints", "{\"endpoint\": {\"service_id\": \"" + service
                    + "\", \"interface\": \"" + iface + "\", \"region_id\": \"" + region + "\", \"url\": \""
                    + node.url() + "\"}}");
            endpoints.add(e.path("endpoint").path("id").asText());
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (keystone != null) {
            for (String id : endpoints) {
                keystone.admin("DELETE", "/v3/endpoints/" + id, null);
            }
            if (!endpoints.isEmpty()) {
                keystone.admin("DELETE", "/v3/regions/" + region, null);
            }
        }
        if (node != null) {
            node.close();
        }
    }

    private record Run(int exit, String out, String err) {}

    private Run openstack(String user, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/openstack"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("OS_"));
        env.put("PATH", "/usr/bin:/bin"); // Debian's python3, never a pyenv one
        env.put("OS_AUTH_URL", keystone.url + "/v3");
        env.put("OS_IDENTITY_API_VERSION", "3");
        env.put("OS_USERNAME", user);
        env.put("OS_PASSWORD", keystone.userPassword);
        env.put("OS_USER_DOMAIN_NAME", "Default");
        env.put("OS_PROJECT_NAME", "portcullis-a");
        env.put("OS_PROJECT_DOMAIN_NAME", "Default");
        env.put("OS_REGION_NAME", region);
        env.put("OS_INTERFACE", "public");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[][] streams = new byte[2][];
        Thread o = Thread.ofVirtual().start(() -> streams[0] = readAll(p.getInputStream()));
        Thread e = Thread.ofVirtual().start(() -> streams[1] = readAll(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openstack " + String.join(" ", args) + " did not finish in 120 s");
        }
        o.join();
        e.join();
        return new Run(p.exitValue(), new String(streams[0], StandardCharsets.UTF_8).strip(),
                new String(streams[1], StandardCharsets.UTF_8).strip());
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static Run ok(Run r) {
        assertThat(r.exit()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isZero();
        return r;
    }

    @Test
    void storeGetListDeleteThroughTheCatalog() throws Exception {
        Run stored = ok(openstack("a-member", "secret", "store", "--name", "cli-it", "--payload", "hello from the CLI",
                "-f", "json"));
        String href = JSON.readTree(stored.out()).path("Secret href").asText();
        assertThat(href).startsWith(node.url() + "/v1/secrets/");

        Run payload = ok(openstack("a-member", "secret", "get", "--payload", href, "-f", "value", "-c", "Payload"));
        assertThat(payload.out()).isEqualTo("hello from the CLI");

        Run list = ok(openstack("a-member", "secret", "list", "-f", "json"));
        List<String> hrefs = new ArrayList<>();
        JSON.readTree(list.out()).forEach(s -> hrefs.add(s.path("Secret href").asText()));
        assertThat(hrefs).contains(href);

        // a reader of the same project is refused by policy, through the same CLI
        Run refused = openstack("a-reader", "secret", "store", "--name", "no", "--payload", "no");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("Forbidden");

        ok(openstack("a-member", "secret", "delete", href));
        Run gone = openstack("a-member", "secret", "get", href);
        assertThat(gone.exit()).as(gone.out()).isNotZero();
        assertThat(gone.err()).containsAnyOf("404", "Not Found");
    }
}
