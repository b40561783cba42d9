package org.portcullis.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real databases integration tests run on: a SQLite file in a temp directory, or a fresh
 * schema in the private PostgreSQL cluster that {@code ./portcullis test} starts (its JDBC URL in
 * {@code PORTCULLIS_TEST_PG_JDBC}). Run from an IDE without it, the cluster is started here with
 * {@code scripts/postgres.sh} and stopped when the JVM exits.
 */
public final class TestDatabases {
    /** The host and port of the private cluster's JDBC URLs, which always listens on loopback. */
    private static final Pattern HOST_PORT = Pattern.compile("//127\\.0\\.0\\.1:(\\d+)/");

    private static String postgresJdbc;

    private TestDatabases() {}

    public enum Kind { SQLITE, POSTGRESQL }

    /** A {@code sql_connection} value for a database no other test uses. */
    public static String fresh(Kind kind, Path dir) throws Exception {
        if (kind == Kind.SQLITE) {
            return "sqlite:///" + dir.resolve("portcullis.sqlite").toAbsolutePath();
        }
        String base = postgres();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** The port of a PostgreSQL URL from {@link #fresh}, for a proxy put in front of it. */
    public static int port(String jdbc) {
        Matcher m = HOST_PORT.matcher(jdbc);
        if (!m.find()) {
            throw new IllegalArgumentException("not a 127.0.0.1 PostgreSQL URL: " + jdbc);
        }
        return Integer.parseInt(m.group(1));
    }

    /** The same database as {@code jdbc}, reached through {@code port} (a proxy's) instead. */
    public static String viaPort(String jdbc, int port) {
        port(jdbc);
        return HOST_PORT.matcher(jdbc).replaceFirst("//127.0.0.1:" + port + "/");
    }

    static synchronized String postgres() throws Exception {
        if (postgresJdbc != null) {
            return postgresJdbc;
        }
        String fromEnv = System.getenv("PORTCULLIS_TEST_PG_JDBC");
        if (fromEnv != null && !fromEnv.isBlank()) {
            postgresJdbc = fromEnv;
            return postgresJdbc;
        }
        Path script = Projects.root().resolve("scripts/postgres.sh");
        Path dir = Files.createTempDirectory("portcullis-pg-it");
        Process p = new ProcessBuilder("bash", script.toString(), "start", dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("PORTCULLIS_PG_JDBC=")) {
                    postgresJdbc = line.substring("PORTCULLIS_PG_JDBC=".length());
                }
            }
        }
        if (p.waitFor() != 0 || postgresJdbc == null) {
            throw new IllegalStateException("scripts/postgres.sh could not start PostgreSQL (is the postgresql "
                    + "package installed? run scripts/install-deps.sh)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new ProcessBuilder("bash", script.toString(), "stop", dir.toString()).inheritIO().start().waitFor();
            } catch (Exception ignored) {
                // best effort at JVM exit
            }
        }));
        return postgresJdbc;
    }
}
