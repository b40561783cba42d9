package org.portcullis.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * deploy/monitoring: the alert rules pass {@code promtool check rules} and their own
 * {@code promtool test rules}, the dashboard is Grafana JSON, and every metric either of them
 * names is one a real node exposes (a renamed meter would otherwise leave a silent alert).
 */
class MonitoringFilesIT {
    private static final Path DIR = Path.of("..", "deploy", "monitoring");
    private static final Pattern METRIC = Pattern.compile("\\b((?:portcullis|hikaricp|jvm)_[a-z_]+)");
    /** Meters that exist only with Keystone authentication (KeystoneAuthIT scrapes them). */
    private static final String KEYSTONE_ONLY = "portcullis_keystone_";

    private static String promtool(String... args) throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/promtool"));
        if (!present) {
            String why = "promtool is not installed (Debian package prometheus; scripts/install-deps.sh)";
            if ("true".equals(System.getenv("CI")) || "1".equals(System.getenv("PORTCULLIS_REQUIRE_SERVICES"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        List<String> command = new ArrayList<>(List.of("/usr/bin/promtool"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("promtool %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }

    @Test
    void alertRulesAreValidAndFireWhenTheyShould() throws Exception {
        assertThat(promtool("check", "rules", "portcullis-alerts.yml")).contains("SUCCESS: 6 rules found");
        assertThat(promtool("test", "rules", "portcullis-alerts.test.yml")).contains("SUCCESS");
    }

    @Test
    void rulesAndDashboardNameOnlyMetricsANodeExposes() throws Exception {
        JsonNode rules = new YAMLMapper().readTree(DIR.resolve("portcullis-alerts.yml").toFile());
        JsonNode dashboard = new ObjectMapper().readTree(DIR.resolve("portcullis-dashboard.json").toFile());
        assertThat(dashboard.path("panels").size()).isGreaterThan(10);
        List<String> expressions = new ArrayList<>();
        rules.findValues("expr").forEach(e -> expressions.add(e.asText()));
        dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
        Set<String> named = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                named.add(m.group(1));
            }
        }
        assertThat(named).contains("portcullis_audit_refusing", "portcullis_store_up", "portcullis_secrets_expiring",
                "portcullis_http_requests_seconds_count");

        try (TestServer server = TestServer.start(TestDatabases.Kind.SQLITE)) {
            Api api = new Api(server.url(), "proj-" + UUID.randomUUID());
            api.get("/v1/secrets/" + api.createText("named"));
            api.postJson("/v1/secrets", "{\"payload\":\"x\",\"payload_content_type\":\"application/bogus\"}");
            String scrape = api.get("/metrics").body();
            Set<String> exposed = scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
            exposed.add("portcullis_store_errors_total"); // appears with the first store failure
            for (String name : named) {
                if (!name.startsWith(KEYSTONE_ONLY)) {
                    assertThat(exposed).as("metric %s named in deploy/monitoring", name).contains(name);
                }
            }
        }
        assertThat(new File(DIR.toFile(), "portcullis-dashboard.json")).exists();
    }
}
