package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.PortcullisConfig.AuditSettings.Fsync;

/**
 * The sink's reused batch buffer around its cap: a full batch of request-sized lines (kept for
 * the next batch), a larger one (its buffer dropped) and small ones after each all reach the
 * file whole, in order.
 */
class FileAuditSinkTest {
    @TempDir
    Path dir;

    private static List<String> lines(String tag, int n, int length) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String head = "{\"" + tag + "\":" + i + ",\"pad\":\"";
            out.add(head + "x".repeat(length - head.length() - 2) + "\"}");
        }
        return out;
    }

    @Test
    void batchesBelowAndAboveTheKeptBufferAreWrittenWhole() throws IOException {
        Path file = dir.resolve("audit.log");
        FileAuditSink sink = new FileAuditSink(file, Fsync.NEVER);
        List<String> expected = new ArrayList<>();
        try {
            // 1,024 lines of 1.1 kB: the largest batch of request lines, its buffer kept
            for (List<String> batch : List.of(lines("full", 1024, 1100), lines("small", 2, 900),
                    lines("huge", 3000, 1100), lines("after", 3, 900))) {
                sink.write(Lines.utf8(batch));
                expected.addAll(batch);
            }
        } finally {
            sink.close();
        }
        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(expected);
    }
}
