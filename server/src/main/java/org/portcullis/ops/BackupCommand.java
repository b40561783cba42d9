package org.portcullis.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.config.ConfigException;
import org.portcullis.config.DatabaseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis manage backup --to DIR}: a consistent copy of the database taken while nodes
 * serve (SQLite's online backup API; pg_dump for PostgreSQL), checked, with a manifest that lists
 * what else must be backed up. Keys are never copied.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Back up the database while nodes keep serving: SQLite with its online backup API (a consistent "
                + "snapshot, checked with integrity_check), PostgreSQL with pg_dump --format=custom (or, without pg_dump "
                + "on PATH, the exact command to run).",
            "DIR gets the copy and manifest.json (schema version, stores, master-key fingerprints, and what is NOT in "
                + "the backup: KEK files, HSM key objects, KMIP/Vault objects, the audit key). Keys are never copied: "
                + "back them up separately, and keep them apart from this directory.",
            "Exit status: 0 backed up and checked, 1 the copy failed its check or pg_dump failed, 2 configuration "
                + "error or DIR not empty."})
public final class BackupCommand implements Callable<Integer> {
    static final String SQLITE_FILE = "portcullis.sqlite";
    static final String PG_FILE = "portcullis.pgdump";

    @Option(names = {"-c", "--config"}, required = true, description = "the node's configuration file")
    Path config;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "an empty or new directory")
    Path to;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(to)) {
            try (var entries = Files.list(to)) {
                if (entries.findAny().isPresent()) {
                    System.err.println("portcullis: " + to + " is not empty; back up into a new directory");
                    return 2;
                }
            }
        }
        try (OpsContext ops = OpsContext.open(config, "portcullis manage backup")) {
            Files.createDirectories(to);
            Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------"));
            DatabaseSettings settings = ops.config().database();
            String file;
            if (settings.kind() == DatabaseSettings.Kind.SQLITE) {
                file = SQLITE_FILE;
                long secrets = sqlite(settings, to.resolve(file));
                System.out.printf("SQLite backup %s: integrity ok, %d secret row(s)%n", to.resolve(file), secrets);
            } else {
                file = PG_FILE;
                PgTools.Target target = PgTools.parse(settings);
                List<String> cmd = PgTools.dumpCommand(target, to.resolve(file));
                if (!PgTools.onPath("pg_dump")) {
                    System.out.println("pg_dump is not on PATH; run this (password in PGPASSWORD):");
                    System.out.println("  " + PgTools.shell(cmd));
                    System.out.println("or take a base backup: pg_basebackup -D DIR -Ft -z -X stream (see README).");
                    return 1;
                }
                int exit = PgTools.run(cmd, target.password());
                if (exit != 0) {
                    System.err.println("portcullis: pg_dump failed (exit " + exit + ")");
                    return 1;
                }
                System.out.printf("PostgreSQL dump %s (pg_dump --format=custom)%n", to.resolve(file));
            }
            Map<String, Object> manifest = BackupManifest.describe(ops, file);
            Files.writeString(to.resolve(BackupManifest.FILE), BackupManifest.json(manifest));
            ops.audit().add(AuditAction.READ, AuditTarget.AUDIT_TRAIL, to.toAbsolutePath().toString(),
                    "database backed up", Map.of("file", file));
            ops.flushAudit();
            System.out.println("schema version " + manifest.get("schema_version") + "; NOT in this backup (back up "
                    + "separately, never next to it):");
            for (Object line : (List<?>) manifest.get("not_in_this_backup")) {
                System.out.println("  - " + line);
            }
            return 0;
        } catch (ConfigException e) {
            System.err.println("portcullis: " + e.getMessage());
            return 2;
        }
    }

    /** sqlite3_backup of the live database, then an integrity check of the copy; returns its secret rows. */
    private static long sqlite(DatabaseSettings settings, Path file) throws Exception {
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl()); Statement s = c.createStatement()) {
            s.executeUpdate("backup to " + file.toAbsolutePath());
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                if (!"ok".equals(rs.getString(1))) {
                    throw new ConfigException("the backup copy " + file + " fails integrity_check: " + rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM secrets")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
