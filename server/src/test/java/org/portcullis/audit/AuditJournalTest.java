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
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.config.PortcullisConfig.AuditSettings.Fsync;

/**
 * fsync=always syncs the journal instead of the audit file: a crash that loses the file's unsynced
 * tail (simulated by cutting the file, or zeroing its end, while the sink is left unclosed) is
 * repaired by the next start from the journal, byte for byte, and a file that was replaced or cut while the node was
 * down gets nothing written back into it. The crash tests run with the journal's direct writes and
 * with writes through the page cache (where a file system refuses direct ones).
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
        return writeWithoutClosing(file, lines, true);
    }

    private static List<String> writeWithoutClosing(Path file, int lines, boolean direct) throws IOException {
        FileAuditSink sink = new FileAuditSink(file, Fsync.ALWAYS, direct);
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

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aCrashThatLostTheFilesTailIsRepairedFromTheJournal(boolean direct) throws IOException {
        Path file = dir.resolve("audit.log");
        List<String> written = writeWithoutClosing(file, 100, direct);
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

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void afterTheJournalWrapsTheFileHoldsEverythingBeforeIt(boolean direct) throws IOException {
        Path file = dir.resolve("audit.log");
        // 2 records of 8 kB for 10 lines, 256 records a half: 6,000 lines wrap the journal twice
        List<String> written = writeWithoutClosing(file, 6000, direct);
        cut(file, Files.size(file) - 9000);

        new FileAuditSink(file, Fsync.ALWAYS).close();

        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(written);
    }

    /**
     * The file's sync of the half the journal left runs in the background: a crash may come before
     * it has written anything. Both halves' records are written back then, the older half's first.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aCrashBeforeTheFileWasSyncedForEitherHalfLosesNothing(boolean direct) throws IOException {
        Path file = dir.resolve("audit.log");
        long batch = batchBytes(batch(0, 5));
        int perHalf = AuditJournal.HALF / AuditJournal.span((int) batch);
        // through the first half, the second, and 20 batches into the first again
        List<String> written = writeWithoutClosing(file, 5 * (2 * perHalf + 20), direct);
        cut(file, perHalf * batch + 10); // the file lost all it held after the journal's first pass over half one

        new FileAuditSink(file, Fsync.ALWAYS).close();

        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(written);
    }

    private static long batchBytes(List<String> lines) {
        long bytes = 0;
        for (String line : lines) {
            bytes += line.length() + 1;
        }
        return bytes;
    }

    /** A journal a node before direct writes left (version 1: records back to back) is still replayed after the upgrade. */
    @Test
    void aVersionOneJournalIsReplayedAndStartedOver() throws IOException {
        Path file = dir.resolve("audit.log");
        List<String> lines = batch(0, 10);
        byte[] all = String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8);
        Files.write(file, all);
        long fileId = AuditJournal.fileId(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
        int half = (int) batchBytes(lines.subList(0, 5));
        ByteBuffer journal = ByteBuffer.allocate(2 << 20);
        versionOneRecord(journal, 7, fileId, 0, ByteBuffer.wrap(all, 0, half));
        versionOneRecord(journal, 8, fileId, half, ByteBuffer.wrap(all, half, all.length - half));
        Files.write(AuditJournal.beside(file), journal.array());
        cut(file, half - 30); // lost the second batch and part of the first

        new FileAuditSink(file, Fsync.ALWAYS).close();

        assertThat(Files.readAllLines(file)).containsExactlyElementsOf(lines);
        assertThat(Files.size(AuditJournal.beside(file))).isEqualTo(AuditJournal.SIZE);
        assertThat(replay(file).durable()).isTrue(); // started over in version 2, vouching for the file after close
    }

    private static void versionOneRecord(ByteBuffer journal, long seq, long fileId, long offset, ByteBuffer bytes) {
        int start = journal.position();
        journal.putInt(AuditJournal.MAGIC_V1).putLong(seq).putLong(fileId).putLong(offset).putInt(bytes.remaining());
        CRC32C crc = new CRC32C();
        crc.update(journal.duplicate().flip().position(start));
        crc.update(bytes.duplicate());
        journal.putInt((int) crc.getValue()).put(bytes);
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

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aTornJournalRecordIsNotReplayed(boolean direct) throws IOException {
        Path file = dir.resolve("audit.log");
        List<String> written = writeWithoutClosing(file, 20, direct);
        Path journal = AuditJournal.beside(file);
        long batchBytes = batchBytes(written.subList(0, 5)); // every line of these batches is as long
        // three batches (a new journal starts with no empty record), then 100 bytes into the
        // fourth's lines: its CRC fails, so neither it nor anything after it is written back
        long damaged = 3L * AuditJournal.span((int) batchBytes) + AuditJournal.HEADER + 100;
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
