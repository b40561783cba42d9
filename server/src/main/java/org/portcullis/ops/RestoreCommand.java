package org.portcullis.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.config.PortcullisConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis manage restore --from DIR}: puts a {@code manage backup} back. Every node
 * using the database must be stopped first: a SQLite node keeps the file open and would go on
 * writing to the replaced file's pages (or lose the restored ones), and a PostgreSQL node would
 * answer from half-restored tables.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Restore a backup made by `manage backup`. STOP EVERY NODE that uses this database first "
                + "(SQLite: a running node keeps the old file open; PostgreSQL: it would serve half-restored tables). "
                + "The command refuses if this configuration's node answers on its port.",
            "SQLite: the current file is kept beside it as <file>.before-restore-<time>. PostgreSQL: pg_restore "
                + "--clean in one transaction. Afterwards the database is opened as a node would open it (schema "
                + "upgrade, master-key fingerprints): a backup whose keys are not configured is rolled back (SQLite).",
            "Exit status: 0 restored and checked, 1 restore or check failed, 2 configuration error or a node is running."})
public final class RestoreCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "the node's configuration file")
    Path config;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "a directory made by manage backup")
    Path from;

    @Override
    public Integer call() throws Exception {
        PortcullisConfig conf;
        JsonNode manifest;
        try {
            conf = ConfigLoader.load(config);
            manifest = new ObjectMapper().readTree(from.resolve(BackupManifest.FILE).toFile());
        } catch (ConfigException | java.io.IOException e) {
            System.err.println("portcullis: " + e.getMessage());
            return 2;
        }
        DatabaseSettings db = conf.database();
        String kind = db.kind().name().toLowerCase(java.util.Locale.ROOT);
        if (!kind.equals(manifest.path("database_kind").asText())) {
            System.err.println("portcullis: the backup is of a " + manifest.path("database_kind").asText()
                    + " database, the configuration uses " + kind);
            return 2;
        }
        if (nodeAnswers(conf)) {
            System.err.println("portcullis: a node answers on " + conf.http().bindHost() + ":" + conf.http().bindPort()
                    + "; stop every node that uses this database before restoring");
            return 2;
        }
        Path sqliteFile = null;
        Path aside = null;
        if (db.kind() == DatabaseSettings.Kind.SQLITE) {
            String path = db.jdbcUrl().substring("jdbc:sqlite:".length());
            sqliteFile = Path.of(path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
            aside = sqliteFile.resolveSibling(sqliteFile.getFileName() + ".before-restore-" + System.currentTimeMillis());
            if (Files.exists(sqliteFile)) {
                Files.move(sqliteFile, aside);
                System.out.println("current database kept as " + aside);
            }
            for (String suffix : List.of("-wal", "-shm")) { // the old file's journal must not apply to the new one
                Files.deleteIfExists(sqliteFile.resolveSibling(sqliteFile.getFileName() + suffix));
            }
            Files.createDirectories(sqliteFile.toAbsolutePath().getParent());
            Files.copy(from.resolve(BackupCommand.SQLITE_FILE), sqliteFile, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(sqliteFile, PosixFilePermissions.fromString("rw-------"));
        } else {
            PgTools.Target target = PgTools.parse(db);
            List<String> cmd = PgTools.restoreCommand(target, from.resolve(BackupCommand.PG_FILE));
            if (!PgTools.onPath("pg_restore")) {
                System.out.println("pg_restore is not on PATH; run this (password in PGPASSWORD), then this command "
                        + "again to check:\n  " + PgTools.shell(cmd));
                return 1;
            }
            int exit = PgTools.run(cmd, target.password());
            if (exit != 0) {
                System.err.println("portcullis: pg_restore failed (exit " + exit + "); nothing was changed (one transaction)");
                return 1;
            }
        }
        try (OpsContext ops = OpsContext.open(config, "portcullis manage restore")) {
            long secrets = ops.db().read(h -> h.createQuery("SELECT count(*) FROM secrets WHERE NOT deleted")
                    .mapTo(Long.class).one());
            ops.audit().add(AuditAction.UPDATE, AuditTarget.AUDIT_TRAIL, from.toAbsolutePath().toString(),
                    "database restored from backup", Map.of("backup_created_at", manifest.path("created_at").asText()));
            ops.flushAudit();
            System.out.printf("restored the backup of %s: schema %s, %d live secret(s); the stores' keys and external "
                    + "objects must be the ones the manifest lists%n", manifest.path("created_at").asText(),
                    BackupManifest.schemaVersion(ops.db()), secrets);
            return 0;
        } catch (ConfigException e) {
            System.err.println("portcullis: the restored database does not open with this configuration: " + e.getMessage());
            if (sqliteFile != null && aside != null && Files.exists(aside)) {
                Files.move(aside, sqliteFile, StandardCopyOption.REPLACE_EXISTING);
                System.err.println("portcullis: the previous database is back in place");
            }
            return 1;
        }
    }

    private static boolean nodeAnswers(PortcullisConfig conf) {
        int port = conf.http().bindPort();
        if (port <= 0) {
            return false;
        }
        String host = conf.http().bindHost().equals("0.0.0.0") || conf.http().bindHost().equals("::") ? "127.0.0.1"
                : conf.http().bindHost();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
