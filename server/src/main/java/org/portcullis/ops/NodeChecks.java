package org.portcullis.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.portcullis.config.ConfigException;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.config.FilePermissions;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.db.SchemaVersion;
import org.portcullis.health.Finding;
import org.portcullis.http.tls.PemFiles;

/** The doctor's checks of the node itself: key file permissions, database, schema, clock, TLS certificate. */
final class NodeChecks {
    static final Duration CERT_WARNING = Duration.ofDays(30);
    static final Duration SKEW_WARNING = Duration.ofSeconds(5);
    static final Duration SKEW_FAILURE = Duration.ofMinutes(5);

    private NodeChecks() {}

    /** Every file that holds key material must be owner-only (the server refuses to start otherwise). */
    static List<Finding> permissions(PortcullisConfig c) {
        List<Finding> out = new ArrayList<>();
        for (PortcullisConfig.StoreSettings.Store s : c.stores().stores()) {
            if (s.kek() != null && s.kek().file() != null) {
                out.add(ownerOnly(s.kek().file(), "store " + s.name() + " master KEK", "400"));
            }
        }
        if (c.audit().enabled() && c.audit().hmacKeyFile() != null) {
            out.add(ownerOnly(c.audit().hmacKeyFile(), "audit HMAC key", "400"));
        }
        if (c.http().tls() != null) {
            out.add(ownerOnly(c.http().tls().keyFile(), "TLS private key", "600"));
        }
        return out;
    }

    private static Finding ownerOnly(Path file, String what, String mode) {
        String check = "permissions " + what;
        if (!Files.exists(file)) {
            return Finding.atRisk(check, file + " does not exist", "restore " + file + " from backup");
        }
        try {
            FilePermissions.requireOwnerOnly(file, "the " + what, mode);
            return Finding.pass(check, file + " is owner-only");
        } catch (ConfigException e) {
            return Finding.fail(check, e.getMessage() + "; the server refuses to start with it",
                    "chmod " + mode + " " + file);
        }
    }

    /** Opens the database without migrating it; null (with a finding) when it cannot be reached. */
    static Database database(DatabaseSettings settings, List<Finding> out) {
        if (settings.kind() == DatabaseSettings.Kind.SQLITE) {
            Path file = Path.of(settings.jdbcUrl().substring("jdbc:sqlite:".length()));
            if (!Files.exists(file)) {
                out.add(Finding.atRisk("database", file + " does not exist: this node would start with an empty "
                        + "database", "point sql_connection at the node's database, or restore it from backup"));
                return null;
            }
        }
        Database db = null;
        try {
            db = Database.connect(settings);
            long t0 = System.nanoTime();
            db.read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            out.add(Finding.pass("database", settings.redacted() + " reachable (" + (System.nanoTime() - t0) / 1_000_000
                    + " ms)"));
            SchemaVersion v = SchemaVersion.of(db);
            if (v.current() == null) {
                out.add(Finding.fail("schema", "no Portcullis schema in " + settings.redacted(),
                        "check sql_connection; a node creates the schema when it first starts"));
            } else if (v.pending() > 0) {
                out.add(Finding.warn("schema", "version " + v.current() + ", this build has " + v.latest() + " ("
                        + v.pending() + " migration(s) pending)", "start a node of this build: it migrates at start"));
            } else {
                out.add(Finding.pass("schema", "version " + v.current() + " (current)"));
            }
            return db;
        } catch (RuntimeException e) {
            out.add(Finding.fail("database", settings.redacted() + " unreachable: " + e.getMessage()
                    + "; existing secrets are not at risk but nothing can be served", "check sql_connection and that "
                    + "the database server is up"));
            if (db != null) {
                db.close();
            }
            return null;
        }
    }

    /** This host's clock against the database's: expirations, tokens and audit times depend on both agreeing. */
    static Finding clockSkew(Database db) {
        String sql = db.kind() == DatabaseSettings.Kind.SQLITE
                ? "SELECT CAST((julianday(CURRENT_TIMESTAMP) - 2440587.5) * 86400000.0 AS INTEGER)"
                : "SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";
        long before = System.currentTimeMillis();
        long dbMillis = db.read(h -> h.createQuery(sql).mapTo(Long.class).one());
        long after = System.currentTimeMillis();
        // SQLite's CURRENT_TIMESTAMP has whole seconds: allow for that, and for the round trip.
        long slack = (after - before) / 2 + (db.kind() == DatabaseSettings.Kind.SQLITE ? 1000 : 0);
        long skew = Math.max(0, Math.abs(dbMillis - (before + after) / 2) - slack);
        String msg = "this host and the database differ by " + skew + " ms";
        if (skew >= SKEW_FAILURE.toMillis()) {
            return Finding.fail("clock", msg, "synchronise both clocks (chrony/NTP)");
        }
        return skew >= SKEW_WARNING.toMillis() ? Finding.warn("clock", msg, "synchronise both clocks (chrony/NTP)")
                : Finding.pass("clock", msg);
    }

    /** The server certificate's expiry, as of {@code now}. */
    static Finding certificate(Path file, Instant now) {
        try {
            X509Certificate cert = PemFiles.certificates(file).get(0);
            Duration left = Duration.between(now, cert.getNotAfter().toInstant());
            String msg = file + " (" + cert.getSubjectX500Principal().getName() + ") expires " + cert.getNotAfter()
                    .toInstant() + ", in " + left.toDays() + " days";
            if (left.isNegative()) {
                return Finding.fail("tls", file + " expired on " + cert.getNotAfter().toInstant()
                        + ": clients refuse the connection", "install a new certificate at " + file + " and restart");
            }
            return left.compareTo(CERT_WARNING) < 0 ? Finding.warn("tls", msg, "renew the certificate before it expires")
                    : Finding.pass("tls", msg);
        } catch (RuntimeException e) {
            return Finding.fail("tls", "cannot read " + file + ": " + e.getMessage(), "install a PEM certificate at " + file);
        }
    }
}
