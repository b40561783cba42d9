package org.portcullis.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.portcullis.config.DatabaseSettings;

/**
 * pg_dump / pg_restore for a PostgreSQL {@code sql_connection}: the JDBC URL turned into the
 * libpq arguments these tools take (host, port, database, user; the password goes in
 * {@code PGPASSWORD}, never on a command line; {@code currentSchema} becomes {@code --schema}).
 */
final class PgTools {
    private PgTools() {}

    record Target(String host, String port, String database, String user, String password, String schema) {}

    static Target parse(DatabaseSettings settings) {
        String url = settings.jdbcUrl().substring("jdbc:postgresql://".length());
        String query = "";
        int q = url.indexOf('?');
        if (q >= 0) {
            query = url.substring(q + 1);
            url = url.substring(0, q);
        }
        int slash = url.indexOf('/');
        String hostPort = slash < 0 ? url : url.substring(0, slash);
        String database = slash < 0 ? "postgres" : url.substring(slash + 1);
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        String port = colon < 0 ? "5432" : hostPort.substring(colon + 1);
        String user = settings.user();
        String password = settings.password();
        String schema = null;
        for (String kv : query.split("&")) {
            if (kv.startsWith("currentSchema=")) {
                schema = kv.substring("currentSchema=".length());
            } else if (kv.startsWith("user=") && user == null) {
                user = kv.substring("user=".length());
            } else if (kv.startsWith("password=") && password == null) {
                password = java.net.URLDecoder.decode(kv.substring("password=".length()),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return new Target(host, port, database, user == null ? "postgres" : user, password, schema);
    }

    static List<String> dumpCommand(Target t, Path file) {
        List<String> cmd = new ArrayList<>(List.of("pg_dump", "--format=custom", "--no-owner", "--file", file.toString(),
                "--host", t.host(), "--port", t.port(), "--username", t.user()));
        if (t.schema() != null) {
            cmd.addAll(List.of("--schema", t.schema()));
        }
        cmd.add(t.database());
        return cmd;
    }

    static List<String> restoreCommand(Target t, Path file) {
        return new ArrayList<>(List.of("pg_restore", "--clean", "--if-exists", "--no-owner", "--exit-on-error",
                "--single-transaction", "--host", t.host(), "--port", t.port(), "--username", t.user(), "--dbname",
                t.database(), file.toString()));
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a tool with the password in its environment; its output goes to ours. */
    static int run(List<String> cmd, String password) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        if (password != null) {
            pb.environment().put("PGPASSWORD", password);
        }
        return pb.start().waitFor();
    }

    static String shell(List<String> cmd) {
        return String.join(" ", cmd.stream().map(a -> a.matches("[A-Za-z0-9_./:=@-]+") ? a : "'" + a + "'").toList());
    }
}
