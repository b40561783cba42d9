package org.portcullis.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.portcullis.Portcullis;
import picocli.CommandLine;

/**
 * The SoftHSM2 token directory that {@code scripts/softhsm.sh} made for this test run, seen
 * through the {@code PORTCULLIS_TEST_SOFTHSM*} variables ({@code ./portcullis test} sets them; by
 * hand: run the script, export its lines with the {@code PORTCULLIS_TEST_} prefix, then mvn).
 *
 * <p>One token directory per JVM: SoftHSM2 reads {@code SOFTHSM2_CONF} once per process (the
 * pom's {@code softhsm} profile sets it for the failsafe JVM) and never sees tokens made later.
 * Tests share the token {@link Env#token()} and keep apart by creating keys under their own
 * random labels; a test that changes a token's state takes one of the spare tokens.
 */
public final class SoftHsm {
    private SoftHsm() {}

    /** The variables the script printed. */
    public record Env(Path conf, Path library, String token, String pin, String soPin, List<String> spareTokens) {}

    /**
     * The token directory, or a skipped test (a failed one under {@code CI=true} or
     * {@code PORTCULLIS_REQUIRE_SERVICES=1}) when the script has not been run.
     */
    public static Env require() {
        String conf = System.getenv("PORTCULLIS_TEST_SOFTHSM2_CONF");
        String hint = "run scripts/softhsm.sh start DIR and export its lines as PORTCULLIS_TEST_SOFTHSM* "
                + "(./portcullis test does both)";
        if (conf == null || conf.isBlank()) {
            boolean required = "true".equalsIgnoreCase(System.getenv("CI"))
                    || "1".equals(System.getenv("PORTCULLIS_REQUIRE_SERVICES"));
            if (required) {
                throw new AssertionError("PORTCULLIS_TEST_SOFTHSM2_CONF is not set: " + hint);
            }
            Assumptions.abort("SoftHSM2 test tokens not configured: " + hint);
        }
        if (!conf.equals(System.getenv("SOFTHSM2_CONF"))) {
            throw new AssertionError("this JVM's SOFTHSM2_CONF (" + System.getenv("SOFTHSM2_CONF") + ") is not "
                    + conf + "; the pom's softhsm profile sets it for failsafe when PORTCULLIS_TEST_SOFTHSM2_CONF "
                    + "is exported before mvn starts");
        }
        String spare = System.getenv().getOrDefault("PORTCULLIS_TEST_SOFTHSM_SPARE_TOKENS", "");
        return new Env(Path.of(conf), Path.of(env("PORTCULLIS_TEST_SOFTHSM_LIBRARY")), env("PORTCULLIS_TEST_SOFTHSM_TOKEN"),
                env("PORTCULLIS_TEST_SOFTHSM_PIN"), env("PORTCULLIS_TEST_SOFTHSM_SO_PIN"),
                spare.isBlank() ? List.of() : List.of(spare.split(",")));
    }

    private static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new AssertionError(name + " is not set (scripts/softhsm.sh prints it)");
        }
        return v;
    }

    /** The INI lines of a {@code [secretstore:NAME]} using the p11 store on {@code token}. */
    public static String storeSection(Env env, String name, boolean globalDefault, String token, String labelPrefix) {
        return """
                [secretstore:%s]
                secret_store_plugin = store_crypto
                crypto_plugin = p11_crypto
                global_default = %s
                library_path = %s
                token_label = %s
                login = %s
                mkek_label = %s-mkek
                hmac_label = %s-hmac
                """.formatted(name, globalDefault ? "True" : "False", env.library(), token, env.pin(), labelPrefix,
                labelPrefix);
    }

    /**
     * A store section on the shared token with fresh labels, whose keys have been created with
     * {@code portcullis manage hsm gen-mkek / gen-hmac} (run in this JVM, as an operator would).
     */
    public static String storeWithKeys(Path dir, String name, boolean globalDefault) throws IOException {
        Env env = require();
        String prefix = "t-" + UUID.randomUUID();
        String section = storeSection(env, name, globalDefault, env.token(), prefix);
        createKeys(dir, section, name);
        return section;
    }

    /** Runs gen-mkek and gen-hmac for the store {@code name} described by {@code section}. */
    public static void createKeys(Path dir, String section, String name) throws IOException {
        Path conf = keysConfig(dir, section.replaceAll("(?m)^global_default = .*$", "global_default = True"), name);
        for (String command : List.of("gen-mkek", "gen-hmac")) {
            Result r = manage("hsm", command, "--config", conf.toString(), "--store", name);
            if (r.exit() != 0 && r.exit() != 1) { // 1: it exists already (a restarted node)
                throw new AssertionError("manage hsm " + command + " failed (" + r.exit() + "): " + r.err());
            }
        }
    }

    /** A configuration file holding only the given store, as the manage commands read it. */
    public static Path keysConfig(Path dir, String section, String name) throws IOException {
        Path conf = dir.resolve("hsm-" + name + "-" + UUID.randomUUID() + ".conf");
        Files.writeString(conf, """
                [DEFAULT]
                sql_connection = sqlite:///%s

                [secretstore]
                enable_multiple_secret_stores = True
                stores_lookup_suffix = %s

                %s
                """.formatted(dir.resolve("hsm-keys.sqlite"), name, section));
        // owner-only, as the server demands of a file holding a PIN
        Files.setPosixFilePermissions(conf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return conf;
    }

    /** What a {@code portcullis} command printed and returned. */
    public record Result(int exit, String out, String err) {}

    /** Runs {@code portcullis ARGS} in this JVM. */
    public static Result manage(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "manage";
        System.arraycopy(args, 0, full, 1, args.length);
        StringWriter err = new StringWriter();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldOut = System.out;
        java.io.PrintStream oldErr = System.err;
        java.io.ByteArrayOutputStream errBytes = new java.io.ByteArrayOutputStream();
        int exit;
        synchronized (SoftHsm.class) {
            try {
                System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
                System.setErr(new java.io.PrintStream(errBytes, true, java.nio.charset.StandardCharsets.UTF_8));
                CommandLine cl = new CommandLine(new Portcullis());
                cl.setErr(new PrintWriter(err, true));
                exit = cl.execute(full);
            } finally {
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
        }
        return new Result(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8),
                errBytes.toString(java.nio.charset.StandardCharsets.UTF_8) + err);
    }
}
