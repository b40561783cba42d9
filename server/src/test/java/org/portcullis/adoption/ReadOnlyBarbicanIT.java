package org.portcullis.adoption;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.Projects;
import org.portcullis.testing.TestDatabases;

/**
 * The README's read-only policy for Barbican, as written there, on the real Barbican 15: every
 * write is refused, reads work, and an import from the read-only Barbican still runs.
 */
class ReadOnlyBarbicanIT {
    @Test
    void theReadmePolicyStopsEveryWriteAndTheImportStillRuns() throws Exception {
        String url = System.getenv("PORTCULLIS_TEST_BARBICAN_URL");
        Path conf = Path.of(System.getenv("PORTCULLIS_TEST_BARBICAN_CONF"));
        String project = "readonly-" + Long.toString(System.nanoTime(), 36);
        Api b = BarbicanFixture.api(url, project);
        String secret = BarbicanFixture.secret(b, "{\"name\":\"before\",\"payload\":\"x\",\"payload_content_type\":\"text/plain\"}");
        String twoStep = BarbicanFixture.secret(b, "{\"name\":\"two-step\"}");
        String container = BarbicanFixture.container(b, "{\"name\":\"c\",\"type\":\"generic\"}");

        // policy.yaml beside barbican.conf is Barbican's policy_file; oslo.policy reloads it when it changes.
        Path policy = conf.resolveSibling("policy.yaml");
        Files.writeString(policy, readmePolicy());
        try {
            List<Api.Response> writes = List.of(
                    b.postJson("/v1/secrets", "{\"name\":\"after\",\"payload\":\"x\",\"payload_content_type\":\"text/plain\"}"),
                    b.putJson("/v1/secrets/" + secret + "/metadata", "{\"metadata\":{\"k\":\"v\"}}"),
                    b.putJson("/v1/secrets/" + secret + "/acl", "{\"read\":{\"users\":[\"u\"]}}"),
                    b.postJson("/v1/secrets/" + secret + "/consumers", "{\"service\":\"s\",\"resource_type\":\"t\","
                            + "\"resource_id\":\"r\"}", BarbicanFixture.MICROVERSION, "key-manager 1.1"),
                    b.postJson("/v1/containers", "{\"name\":\"c2\",\"type\":\"generic\"}"),
                    b.postJson("/v1/containers/" + container + "/consumers", "{\"name\":\"n\",\"URL\":\"http://u\"}"),
                    b.postJson("/v1/orders", "{\"type\":\"key\",\"meta\":{\"algorithm\":\"aes\",\"bit_length\":256,"
                            + "\"mode\":\"cbc\"}}"),
                    b.putJson("/v1/project-quotas/" + project, "{\"project_quotas\":{\"secrets\":5}}"),
                    b.delete("/v1/containers/" + container),
                    b.delete("/v1/secrets/" + secret));
            for (Api.Response r : writes) {
                assertThat(r.status()).as(r.body()).isEqualTo(403);
            }
            // Barbican answers this denied PUT in a way Java's HTTP client rejects; curl reads it.
            assertThat(curlStatus("PUT", url + "/v1/secrets/" + twoStep, project)).isEqualTo("403");
            assertThat(b.get("/v1/secrets/" + secret + "/payload", "Accept", "text/plain").body()).isEqualTo("x");
            assertThat(b.get("/v1/containers/" + container).status()).isEqualTo(200);

            Path dir = Files.createTempDirectory("adopt-readonly");
            Path portcullis = BarbicanImportIT.writeConfig(dir, TestDatabases.fresh(TestDatabases.Kind.SQLITE, dir));
            BarbicanImportIT.Run run = BarbicanImportIT.importRun(portcullis, conf, "--project", project);
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).contains("created=2");
        } finally {
            Files.writeString(policy, "{}\n"); // Barbican's defaults again
        }
    }

    private static String curlStatus(String method, String url, String project) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", method,
                "-H", "X-Project-Id: " + project, "-H", "X-Roles: admin", "-H", "Content-Type: text/plain",
                "--data-binary", "late", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return out;
    }

    /** The policy block of README.md's "Moving from Barbican" section. */
    private static String readmePolicy() throws Exception {
        String readme = Files.readString(Projects.root().resolve("README.md"));
        int start = readme.indexOf("   \"secrets:post\": \"!\"");
        int end = readme.indexOf("\n", readme.indexOf("   \"transport_key:delete\": \"!\""));
        assertThat(start).as("policy block in README.md").isPositive();
        return readme.substring(start, end).replace("\n   ", "\n").strip() + "\n";
    }
}
