package org.portcullis.ops;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.portcullis.audit.AuditDoctor;
import org.portcullis.auth.keystone.KeystoneDoctor;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.health.Finding;
import org.portcullis.health.Finding.Status;
import org.portcullis.http.Json;
import org.portcullis.stores.StoreDoctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis manage doctor --config FILE}: is this node healthy, and are existing secrets at
 * risk? Runs every check it can (one failure does not hide the next) and prints PASS, WARN or FAIL
 * for each, with the fix. Reads only: it neither migrates the schema nor registers anything.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check this node's configuration, key files, database, stores, audit trail, Keystone, TLS "
                + "certificate and clock, and say whether existing secrets are at risk.",
                "Each store gets a round trip and a decrypt of a random sample of its existing secrets for each "
                        + "master key id (sampling, not scanning: seconds on 100k secrets). Changes nothing.",
                "Exit status: 0 every check passed, 1 warnings only, 2 at least one failure."})
public final class DoctorCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "the node's configuration file")
    Path config;

    @Option(names = "--format", defaultValue = "text", description = "text (default) or json")
    String format;

    @Option(names = "--sample", defaultValue = "5",
            description = "secrets decrypted per store and master key id (default: ${DEFAULT-VALUE})")
    int sample;

    /** Milliseconds per group of checks, for --format json. */
    private final Map<String, Long> timings = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            System.err.println("portcullis: --format is text or json, not " + format);
            return 2;
        }
        long t0 = System.nanoTime();
        List<Finding> findings = run();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        int exit = findings.stream().anyMatch(f -> f.status() == Status.FAIL) ? 2
                : findings.stream().anyMatch(f -> f.status() == Status.WARN) ? 1 : 0;
        if (format.equals("json")) {
            print(System.out, json(findings, exit, millis));
        } else {
            new DoctorText(System.out, DoctorText.colour()).print(findings, millis);
        }
        return exit;
    }

    private List<Finding> run() {
        List<Finding> out = new ArrayList<>();
        PortcullisConfig c;
        long t0 = System.nanoTime();
        try {
            c = ConfigLoader.load(config);
            timings.put("config", (System.nanoTime() - t0) / 1_000_000);
            out.add(Finding.pass("config", config + " is valid"));
        } catch (ConfigException | IllegalArgumentException e) {
            String msg = String.valueOf(e.getMessage());
            int chmod = msg.indexOf("chmod ");
            out.add(Finding.fail("config", msg, chmod >= 0 ? msg.substring(chmod) : "fix the configuration as the "
                    + "message says; the node does not start with it"));
            return out;
        }
        out.addAll(NodeChecks.permissions(c));
        long t1 = System.nanoTime();
        Database db = NodeChecks.database(c.database(), out);
        timings.put("database", (System.nanoTime() - t1) / 1_000_000);
        if (db != null) {
            try {
                guarded(out, "clock", () -> List.of(NodeChecks.clockSkew(db)));
                guarded(out, "stores", () -> new StoreDoctor(db, Clock.systemUTC(), sample).check(c.stores()));
            } finally {
                db.close();
            }
        }
        guarded(out, "audit trail", () -> AuditDoctor.check(c));
        if (c.auth().strategy() == PortcullisConfig.AuthStrategy.KEYSTONE) {
            guarded(out, "keystone", () -> List.of(KeystoneDoctor.check(c.auth().keystone())));
        } else {
            out.add(c.auth().explicit() ? Finding.pass("keystone", "not used: auth_strategy = noauth")
                    : Finding.warn("keystone", "no [keystone_authtoken]: every caller chooses its own project and roles",
                            "configure [keystone_authtoken], or set [portcullis] auth_strategy = noauth if intended"));
        }
        if (c.http().tls() == null) {
            out.add(Finding.pass("tls", "plain HTTP" + (c.http().loopback() ? " on loopback" : " (behind a TLS proxy)")));
        } else {
            out.add(NodeChecks.certificate(c.http().tls().certFile(), java.time.Instant.now()));
        }
        return out;
    }

    private interface Check {
        List<Finding> run();
    }

    /** Runs a check (and times it); one that throws is a FAIL of its own, never the end of the report. */
    private void guarded(List<Finding> out, String name, Check check) {
        long t0 = System.nanoTime();
        try {
            out.addAll(check.run());
        } catch (RuntimeException e) {
            out.add(Finding.fail(name, "the check itself failed: " + e, "see the message"));
        }
        timings.put(name, (System.nanoTime() - t0) / 1_000_000);
    }

    private Map<String, Object> json(List<Finding> findings, int exit, long millis) {
        List<Map<String, Object>> checks = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", f.check());
            m.put("status", f.status().name());
            m.put("message", f.message());
            m.put("fix", f.fix());
            m.put("secrets_at_risk", f.secretsAtRisk());
            checks.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exit", exit);
        out.put("secrets_at_risk", findings.stream().anyMatch(Finding::secretsAtRisk));
        out.put("elapsed_ms", millis);
        out.put("timings_ms", timings);
        out.put("checks", checks);
        return out;
    }

    private static void print(PrintStream out, Map<String, Object> value) {
        out.println(new String(Json.write(value), java.nio.charset.StandardCharsets.UTF_8));
    }
}
