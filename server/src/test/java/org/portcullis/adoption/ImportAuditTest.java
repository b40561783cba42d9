package org.portcullis.adoption;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.Portcullis;
import org.portcullis.audit.OperatorAudit;
import org.portcullis.config.PortcullisConfig.AuditSettings;
import picocli.CommandLine;

/**
 * The import's audit events: one per entity it changed, none for what was already in place, and
 * written when the transaction that makes the changes hands them on (just before it commits), into the operator trail
 * ({@code <file>.manage}) that {@code manage audit verify} accepts.
 */
class ImportAuditTest {
    @TempDir
    Path dir;

    @Test
    void oneEventPerChangeBeforeTheCommitInAVerifiableTrail() throws Exception {
        Path key = dir.resolve("audit-key");
        Files.writeString(key, Base64.getEncoder().encodeToString(new byte[32]));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve("audit.log");
        AuditSettings settings = new AuditSettings(true, AuditSettings.Sink.FILE, file, AuditSettings.Fsync.NEVER,
                null, 0, key);
        Path trail = dir.resolve("audit.log.manage");
        try (OperatorAudit audit = OperatorAudit.open(settings, null, Clock.systemUTC(), "portcullis manage import barbican")) {
            ImportReport report = new ImportReport(new ImportAudit(audit));
            report.changed("secret", "s-new", "p1", "created");
            report.changed("secret", "s-same", "p1", "unchanged");
            report.changed("secret consumer", "s-new", "p1", "deleted");
            report.changed("container acl", "c-1", "p1", "set");
            report.changed("transport key", "tk-1", null, "created");
            assertThat(imported(trail)).isEmpty();

            report.audit();
            report.audit(); // nothing new: nothing written twice

            assertThat(report.total("secret", "created")).isEqualTo(1);
            assertThat(report.total("secret", "unchanged")).isEqualTo(1);
        }
        List<JsonNode> events = imported(trail);
        assertThat(events).extracting(e -> e.path("action").asText() + " " + e.path("target").path("typeURI").asText()
                .replace("service/security/keymanager/", "") + " " + e.path("target").path("id").asText()).containsExactly(
                        "create secrets s-new", "delete secrets/consumers s-new", "update containers/acl c-1",
                        "create transport_keys tk-1");
        assertThat(events).allSatisfy(e -> assertThat(e.toString()).contains("portcullis manage import barbican"));

        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new Portcullis());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cl.execute("manage", "audit", "verify", "--key-file", key.toString(), trail.toString())).isZero();
        assertThat(out.toString()).contains("events");
    }

    /** The import's events in the trail (it also holds the trail's own start and stop events). */
    private static List<JsonNode> imported(Path trail) throws Exception {
        return Files.readAllLines(trail).stream().map(ImportAuditTest::json)
                .filter(e -> e.path("target").path("name").asText().equals("imported from Barbican")).toList();
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(line, e);
        }
    }
}
