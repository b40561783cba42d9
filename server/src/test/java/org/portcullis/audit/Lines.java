package org.portcullis.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test helpers: events, and editing audit files the way an intruder would. */
final class Lines {
    private Lines() {}

    static AuditEvent event(String user, AuditAction action, String secretId) {
        return new AuditEvent(UUID.randomUUID().toString(), Instant.now(), action,
                "success", null,
                new AuditEvent.Initiator("service/security/account/user", user, "project-1", List.of("admin", "member"),
                        null, "192.0.2.7", "python-barbicanclient"),
                AuditTarget.SECRET.typeUri(), secretId, null, "GET", "/v1/secrets/" + secretId + "/payload",
                "req-" + UUID.randomUUID(), Map.of());
    }

    static List<String> read(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Lines as a sink takes them: UTF-8 bytes each. */
    static List<byte[]> utf8(List<String> lines) {
        return lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** A sink's batch as text, for fakes that keep what they were given. */
    static List<String> text(List<byte[]> lines) {
        return lines.stream().map(l -> new String(l, StandardCharsets.UTF_8)).toList();
    }

    static void write(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
}
