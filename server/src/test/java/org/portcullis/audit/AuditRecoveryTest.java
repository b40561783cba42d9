package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.portcullis.audit.Lines.event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.PortcullisConfig.AuditSettings.Fsync;
import org.portcullis.http.ApiException;

/** A trail whose sink failed comes back by itself once the sink works again. */
class AuditRecoveryTest {
    private static final AuditKey KEY = AuditKey.of(new byte[32], "test key");

    @TempDir
    Path dir;

    @Test
    void theSameFileMovedBackIsWrittenAgainAndTheChainStaysOne() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path file = logs.resolve("audit.log");
        Path away = dir.resolve("away");
        try (AuditTrail t = AuditTrail.over(new FileAuditSink(file, Fsync.ALWAYS), KEY, Clock.systemUTC(), "node-d")) {
            t.write(event("alice", AuditAction.READ, "s1"), false);
            Files.move(logs, away); // unmounted
            assertThatThrownBy(() -> t.write(event("alice", AuditAction.CREATE, "s2"), true))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
            assertThat(t.writable()).isFalse();
            Files.move(away, logs); // mounted again: the very same file, not a new one
            assertThat(t.writable()).as("the probe reaches the file again").isTrue();
            t.ready();
            t.write(event("alice", AuditAction.READ, "s3"), false);
        }
        AuditVerifier.Report r = AuditVerifier.verify(List.of(file), Map.of(KEY.keyId(), KEY));
        assertThat(r.intact()).as(r.message()).isTrue();
        assertThat(Files.readString(file)).contains("the trail resumes after a write failure").doesNotContain("s2");
    }

    @Test
    void aDisabledTrailIsAlwaysWritable() {
        assertThat(AuditTrail.disabled().writable()).isTrue();
    }
}
