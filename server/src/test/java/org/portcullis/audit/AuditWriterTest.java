package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The writer's side of an event rendered by its request ({@link AuditWriter#submit}). */
class AuditWriterTest {
    private static final AuditKey KEY = AuditKey.of(new byte[32], "test key");

    /** A detail Jackson cannot write: its one property throws. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("not today");
        }
    }

    @Test
    void anEventWhoseDetailsCannotBeWrittenFailsAloneAndTakesNoPlaceInTheChain() throws IOException {
        MemorySink sink = new MemorySink();
        AuditWriter writer = new AuditWriter(sink, KEY, "node-a", details -> null);
        writer.start();
        try {
            AuditEvent good = Lines.event("alice", AuditAction.READ, "s1");
            AuditEvent bad = new AuditEvent("id-bad", Instant.now(), AuditAction.UPDATE, "success", null, good.initiator(),
                    good.targetTypeUri(), "s1", null, "PUT", "/v1/secrets/s1", "req-bad", Map.of("odd", new Unwritable()));
            CompletableFuture<Void> refused = writer.submit(bad);
            CompletableFuture<Void> written = writer.submit(good);
            assertThatThrownBy(() -> AuditWriter.await(refused)).isInstanceOf(IOException.class);
            AuditWriter.await(written);
        } finally {
            writer.stop();
        }
        assertThat(sink.lines).hasSize(1);
        assertThat(sink.lines.get(0)).contains("\"seq\":1,").doesNotContain("id-bad");
    }
}
