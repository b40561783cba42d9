package org.portcullis.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an {@link AuditJournal} at start and writes back into the audit file what the file lost.
 *
 * <p>Each half holds at most one run of records that continue each other's sequence from its
 * start: the half written last, and the other, whose records the file may not hold durably yet (its
 * background sync may not have finished when the node stopped). Older records behind a run carry
 * lower sequence numbers and end it, as do a torn record and one that fails its CRC. Both runs are
 * written back, the older first. A record is written back only where the file holds, at its offset,
 * its bytes or zeros (a file system that kept the size but not the data) up to the file's end: a
 * file replaced or cut while the node was down gets nothing it did not have.
 */
final class JournalReplay {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReplay.class);

    private JournalReplay() {}

    /**
     * What a replay found. {@code continueAt} is where the journal may go on (the end of its last
     * record), or -1 when it must start over: it held batches, or records of version 1.
     * {@code lastSeq} is the highest sequence number in the journal.
     */
    record Outcome(long appended, boolean durable, long continueAt, long lastSeq) {}

    private record Record(int magic, long seq, long fileId, long offset, ByteBuffer bytes, long next) {}

    /** What the file holds where a record goes: its bytes (up to the file's end), some zeros instead, or other bytes. */
    private enum Fit { SAME, ZEROS, OTHER }

    static Outcome run(FileChannel journal, Path journalPath, long fileId, Path file) throws IOException {
        List<List<Record>> runs = new ArrayList<>(List.of(run(journal, 0, AuditJournal.HALF),
                run(journal, AuditJournal.HALF, AuditJournal.SIZE)));
        runs.removeIf(List::isEmpty);
        runs.sort(Comparator.comparingLong(r -> r.get(0).seq()));
        if (runs.isEmpty()) {
            return new Outcome(0, false, 0, 0);
        }
        List<Record> newest = runs.get(runs.size() - 1);
        Record last = newest.get(newest.size() - 1);
        boolean batches = false;
        boolean version1 = false;
        for (List<Record> run : runs) {
            for (Record r : run) {
                batches |= r.bytes().hasRemaining();
                version1 |= r.magic() == AuditJournal.MAGIC_V1;
            }
        }
        if (!batches && !version1) {
            try (FileChannel target = FileChannel.open(file, StandardOpenOption.READ)) {
                boolean durable = last.fileId() == fileId && last.offset() == target.size();
                return new Outcome(0, durable, last.next(), last.seq());
            }
        }
        long appended = 0;
        try (FileChannel target = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (List<Record> run : runs) {
                for (Record r : run) {
                    appended += writeBack(journalPath, r, fileId, target, file);
                }
            }
            target.force(false); // the journal starts over: all it held must be in the file
        }
        if (appended > 0) {
            LOG.warn("{}: {} bytes of audit events that were synced only to the journal were written back into {}",
                    journalPath, appended, file);
        }
        return new Outcome(appended, false, -1, last.seq());
    }

    /** The run of records from {@code at}, each continuing the last's sequence, up to {@code limit}. */
    private static List<Record> run(FileChannel journal, long at, long limit) throws IOException {
        List<Record> run = new ArrayList<>();
        while (true) {
            Record r = read(journal, at, limit);
            if (r == null || (!run.isEmpty() && r.seq() != run.get(run.size() - 1).seq() + 1)) {
                return run;
            }
            run.add(r);
            at = r.next();
        }
    }

    private static long writeBack(Path journalPath, Record r, long fileId, FileChannel target, Path file) throws IOException {
        if (!r.bytes().hasRemaining()) {
            return 0;
        }
        if (r.fileId() != fileId) {
            LOG.error("{}: the journal's record at offset {} is of another file than {}; nothing of it is written back",
                    journalPath, r.offset(), file);
            return 0;
        }
        long size = target.size();
        Fit fit = r.offset() > size ? Fit.OTHER : compare(target, r, size);
        if (fit == Fit.OTHER) {
            LOG.error("{}: the journal's record at offset {} does not continue {} ({} bytes); "
                    + "nothing of it is written back", journalPath, r.offset(), file, size);
            return 0;
        }
        if (fit == Fit.ZEROS || r.offset() + r.bytes().remaining() > size) {
            int length = r.bytes().remaining();
            AuditJournal.writeFully(target, r.bytes(), r.offset());
            return length;
        }
        return 0;
    }

    private static Fit compare(FileChannel target, Record r, long size) throws IOException {
        int have = (int) Math.min(size - r.offset(), r.bytes().remaining());
        ByteBuffer present = ByteBuffer.allocate(have);
        while (present.hasRemaining()) {
            if (target.read(present, r.offset() + present.position()) < 0) {
                return Fit.OTHER;
            }
        }
        Fit fit = Fit.SAME;
        for (int i = 0; i < have; i++) {
            byte b = present.get(i);
            if (b != r.bytes().get(i)) {
                if (b != 0) {
                    return Fit.OTHER;
                }
                fit = Fit.ZEROS;
            }
        }
        return fit;
    }

    /**
     * The record at {@code at}, if a whole one of either version is there before {@code limit}.
     * Version 1 records follow each other directly; version 2 records at the next block boundary.
     */
    private static Record read(FileChannel journal, long at, long limit) throws IOException {
        int header = AuditJournal.HEADER;
        if (at + header > limit) {
            return null;
        }
        ByteBuffer h = ByteBuffer.allocate(header);
        readFully(journal, h, at);
        h.flip();
        int magic = h.getInt();
        if (magic != AuditJournal.MAGIC_V1 && magic != AuditJournal.MAGIC_V2) {
            return null;
        }
        long s = h.getLong();
        long id = h.getLong();
        long offset = h.getLong();
        int length = h.getInt();
        int crc = h.getInt();
        if (length < 0 || at + header + length > limit || offset < 0) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(length);
        readFully(journal, bytes, at + header);
        bytes.flip();
        if (crc(h.flip().limit(header - 4), bytes) != crc) {
            return null;
        }
        long next = magic == AuditJournal.MAGIC_V1 ? at + header + length : at + AuditJournal.span(length);
        return new Record(magic, s, id, offset, bytes, next);
    }

    private static void readFully(FileChannel journal, ByteBuffer buf, long at) throws IOException {
        while (buf.hasRemaining()) {
            if (journal.read(buf, at + buf.position()) < 0) {
                break;
            }
        }
    }

    private static int crc(ByteBuffer head, ByteBuffer bytes) {
        CRC32C c = new CRC32C();
        c.update(head.duplicate());
        c.update(bytes.duplicate());
        return (int) c.getValue();
    }
}
