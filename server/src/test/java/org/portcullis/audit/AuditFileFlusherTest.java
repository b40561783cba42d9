package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A background sync that failed holds the journal half it was for: each later wait tries it again
 * and throws while it fails, until the caller takes the sync over itself ({@code settle}).
 */
class AuditFileFlusherTest {
    @TempDir
    Path dir;

    @Test
    void aFailedSyncIsTriedAgainAndThrownUntilOneSucceedsOrTheCallerTakesOver() throws IOException {
        FileChannel gone = FileChannel.open(dir.resolve("audit.log"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        gone.close(); // its sync fails, as a dying disk's would
        try (AuditFileFlusher flusher = new AuditFileFlusher()) {
            flusher.turn(gone);
            assertThatThrownBy(flusher::finish).isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(flusher::finish).isInstanceOf(ClosedChannelException.class); // still in flight
            assertThatThrownBy(() -> flusher.turn(gone)).isInstanceOf(ClosedChannelException.class);

            flusher.settle(); // the caller syncs the file itself from here
            flusher.finish();
        }
    }
}
