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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
    void anEventASinkHoldsTooLongIsRefusedAndTheTrailGoesOnOnceTheSinkMoves() throws Exception {
        CountDownLatch moves = new CountDownLatch(1);
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicBoolean hanging = new AtomicBoolean();
        AuditSink stuck = new AuditSink() { // a mount that stops answering, then answers again
            @Override
            public void write(List<byte[]> batch) {
                lines.addAll(Lines.text(batch));
            }

            @Override
            public void sync() throws IOException {
                try {
                    while (hanging.get() && !moves.await(1, TimeUnit.SECONDS)) {
                        // waits until the test lets it move
                    }
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }

            @Override
            public String describe() {
                return "stuck";
            }

            @Override
            public void close() {}
        };
        try (AuditTrail t = AuditTrail.over(stuck, KEY, Clock.systemUTC(), "node-e")) {
            hanging.set(true);
            // The writer's watchdog, not a timer of the request's, gives up on it.
            assertThatThrownBy(() -> t.write(event("alice", AuditAction.READ, "s1"), false))
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
            hanging.set(false);
            moves.countDown();
            t.ready();
            t.write(event("alice", AuditAction.READ, "s2"), false);
        }
        assertThat(lines).anyMatch(l -> l.contains("\"s2\""));
    }

    @Test
    void aDisabledTrailIsAlwaysWritable() {
        assertThat(AuditTrail.disabled().writable()).isTrue();
    }
}
