package org.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.PortcullisConfig.AuditSettings.Fsync;

/**
 * fsync=always syncs the journal instead of the audit file: a crash that loses the file's unsynced
 * tail (simulated by cutting the file, or zeroing its end, while the sink is left unclosed) is
 * repaired by the next start from the journal, byte for byte, and a file that was replaced or cut while the node was
 * down gets nothing written back into it.
 */
class AuditJournalTest {
    @TempDir
    Path dir;

    private static List<String> batch(int from, int n) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add("{\"seq\":" + (10_000 + i) + ",\"pad\":\"" + "x".repeat(900) + "\"}"); // all as long
        }
        return out;
    }

    /** Writes batches of 5 lines (each synced, as the trail does) from line 0 up to {@code lines}; the sink is left open. */
    private static List<String> writeWithoutClosing(Path file, int lines) throws IOException {
        FileAuditSink sink = new FileAuditSink(file, Fsync.ALWAYS);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < lines; i += 5) {
            List<String> b = batch(i, 5);
            sink.write(Lines.utf8(b));
            sink.sync();
            all.addAll(b);
        }
        return all; // not closed: a crash, as far as the journal can tell
    }

    private static void cut(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    @Test
    void aCrashThatLostTheFilesTailIsRepairedFromTheJournal() throws IOException {
        Path file = dir.resolve("audit.log");
        List<String> written = writeWithoutClosing(file, 100);
        long full = Files.size(file);
        cut(file, full - 2500); // the last batches, part of a line included

        new FileAuditSink(file, Fsync.ALWAYS).close();

        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(written);
    }

    @Test
    void zerosWhereAFileSystemKeptTheSizeButNotTheBytesAreWrittenOver() throws IOException {
        Path file = dir.resolve("audit.log");
        List<String> written = writeWithoutClosing(file, 100);
        long full = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(3000), full - 3000);
        }

        new FileAuditSink(file, Fsync.ALWAYS).close();

        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(written);
    }

    @Test
    void afterTheJournalWrapsTheFileHoldsEverythingBeforeIt() throws IOException {
        Path file = dir.resolve("audit.log");
        // ~4.6 MB: the 2 MB journal wraps twice, syncing the file each time
        List<String> written = writeWithoutClosing(file, 5000);
        cut(file, Files.size(file) - 9000);

        new FileAuditSink(file, Fsync.ALWAYS).close();

        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(written);
    }

    @Test
    void aFileCutWhileTheNodeWasDownGetsNothingBack() throws IOException {
        Path file = dir.resolve("audit.log");
        writeWithoutClosing(file, 50);
        Files.writeString(file, "{\"other\":1}\n", StandardCharsets.UTF_8); // copytruncate and a line of another writer

        new FileAuditSink(file, Fsync.ALWAYS).close();

        assertThat(Files.readAllLines(file)).containsExactly("{\"other\":1}");
    }

    @Test
    void aReplacedFileGetsNothingBack() throws IOException {
        Path file = dir.resolve("audit.log");
        writeWithoutClosing(file, 50);
        Files.move(file, dir.resolve("audit.log.1"));
        Files.writeString(file, "", StandardCharsets.UTF_8);

        new FileAuditSink(file, Fsync.ALWAYS).close();

        assertThat(Files.size(file)).isZero();
    }

    @Test
    void aCleanCloseLeavesNothingToReplay() throws IOException {
        Path file = dir.resolve("audit.log");
        FileAuditSink sink = new FileAuditSink(file, Fsync.ALWAYS);
        sink.write(Lines.utf8(batch(0, 5)));
        sink.sync();
        sink.close();
        Files.writeString(file, "", StandardCharsets.UTF_8); // same file, emptied while the node was down

        new FileAuditSink(file, Fsync.ALWAYS).close();

        assertThat(Files.size(file)).isZero();
    }

    @Test
    void aCleanStopVouchesForItsFileAsItIsSoTheNextStartNeedNotSyncIt() throws IOException {
        Path file = dir.resolve("audit.log");
        FileAuditSink sink = new FileAuditSink(file, Fsync.ALWAYS);
        sink.write(Lines.utf8(batch(0, 5)));
        sink.sync();
        sink.close();

        assertThat(replay(file).durable()).isTrue();

        Files.writeString(file, "{\"other\":1}\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND); // grew while down
        assertThat(replay(file).durable()).isFalse();
    }

    @Test
    void aNewJournalOrOneThatHeldBatchesVouchesForNothing() throws IOException {
        Path file = dir.resolve("audit.log");
        Files.writeString(file, "", StandardCharsets.UTF_8);
        assertThat(replay(file).durable()).isFalse(); // new

        writeWithoutClosing(file, 10);
        assertThat(replay(file).durable()).isFalse(); // a crash: the replay's sync is followed by the file's own
        assertThat(replay(file).durable()).isFalse(); // the replay's empty record names no file
    }

    private static AuditJournal.Replay replay(Path file) throws IOException {
        long fileId = AuditJournal.fileId(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
        try (AuditJournal j = AuditJournal.open(AuditJournal.beside(file))) {
            return j.replay(fileId, file);
        }
    }

    @Test
    void aTornJournalRecordIsNotReplayed() throws IOException {
        Path file = dir.resolve("audit.log");
        List<String> written = writeWithoutClosing(file, 20);
        Path journal = AuditJournal.beside(file);
        int header = 36;
        long batchBytes = 0;
        for (String line : written.subList(0, 5)) {
            batchBytes += line.length() + 1; // every line of these batches is as long
        }
        // three batches (a new journal starts with no empty record), then 100 bytes into the
        // fourth's lines: its CRC fails, so neither it nor anything after it is written back
        long damaged = 3 * (header + batchBytes) + header + 100;
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {'#'}), damaged);
        }
        cut(file, 3 * batchBytes - 10);

        new FileAuditSink(file, Fsync.ALWAYS).close();

        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(written.subList(0, 15));
    }

    @Test
    void aJournalHeldByAnotherProcessIsLeftToItAndTheFileIsSyncedItself() throws Exception {
        Path file = dir.resolve("audit.log");
        Path journal = AuditJournal.beside(file);
        AuditJournal.open(journal).close();
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl, sys\n"
                + "f = open(sys.argv[1], 'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()",
                journal.toString()).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine()).isEqualTo("locked");
            assertThat(AuditJournal.open(journal)).isNull();
            FileAuditSink sink = new FileAuditSink(file, Fsync.ALWAYS);
            sink.write(Lines.utf8(batch(0, 5)));
            sink.sync();
            sink.close();
            assertThat(Files.readAllLines(file)).isEqualTo(batch(0, 5));
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    @Test
    void aRecordNamesItsFileByInodeSoANewDeviceNumberAfterARebootStillReplays() {
        assertThat(AuditJournal.fileId("(dev=803,ino=1234567)")).isEqualTo(1234567L);
        assertThat(AuditJournal.fileId("(dev=fd01,ino=1234567)")).isEqualTo(AuditJournal.fileId("(dev=803,ino=1234567)"));
        assertThat(AuditJournal.fileId("C:\\audit.log")).isNotEqualTo(AuditJournal.fileId("C:\\other.log"));
    }
}
