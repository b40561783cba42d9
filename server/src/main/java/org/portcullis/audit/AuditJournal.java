package org.portcullis.audit;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit file's write-ahead journal for {@code fsync = always}: a fixed-size file, written once
 * with zeros, into which every batch is also written, in place, and synced instead of the audit
 * file. An {@code fdatasync} that appends changes the file's size and so waits for an ext4 journal
 * commit: about 4 wake-ups of the writer per sync instead of 2, and 0.25 ms instead of 0.13 ms.
 * Overwriting space already written changes no size. The audit file itself keeps exactly its
 * format (verify, rotation and readers see the same lines); it is synced whenever the journal
 * wraps, on rotation and on close, and after a crash {@link #replay} appends from the journal
 * what the file lost.
 *
 * <p>A record: magic, sequence number, the audit file's identity, the batch's offset in it, its
 * length, a CRC32C of all that and the bytes, then the bytes. Records follow each other from the
 * start of the journal; a scan stops at the first that is torn, fails its CRC or does not continue
 * the sequence (the older records behind the newest ones).
 */
final class AuditJournal implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditJournal.class);
    static final int SIZE = 2 << 20;
    private static final int MAGIC = 0x50414a31; // "PAJ1"
    private static final int HEADER = 4 + 8 + 8 + 8 + 4 + 4;
    private static final int CHUNK = 64 << 10;

    /**
     * The records' buffer, kept: a record goes to the journal in one write of header and bytes
     * together (a write per part cost a second system call per batch). Direct, so the write does
     * not copy it into a temporary one; a batch larger than it (a rotation's burst) gets its own.
     */
    private static final int RECORD_BUFFER = 64 << 10;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer record = ByteBuffer.allocateDirect(RECORD_BUFFER);
    private final CRC32C checksum = new CRC32C(); // append's, reset per record
    private long seq;
    private long position;

    private AuditJournal(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Opens {@code path}, writing it full of zeros (and syncing it and its directory) when it is new
     * or short; null when another process holds it (a second writer of the same audit file, or two
     * operator commands at once): each would overwrite the other's records, so the second one syncs
     * its audit file itself.
     */
    static AuditJournal open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            if (!locked(ch)) {
                ch.close();
                return null;
            }
            if (ch.size() < SIZE) {
                ByteBuffer zeros = ByteBuffer.allocate(CHUNK);
                for (long at = ch.size(); at < SIZE; at += CHUNK) {
                    zeros.clear().limit((int) Math.min(CHUNK, SIZE - at));
                    writeFully(ch, zeros, at);
                }
                ch.force(true);
                syncDirectory(path.toAbsolutePath().getParent());
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new AuditJournal(path, ch);
    }

    /**
     * Takes the journal for this process (released when the channel closes); false when another
     * process has it. File locks belong to a process: an overlap inside this one is a sink of this
     * process that was dropped without closing (one audit trail writes a file), so this one goes on.
     */
    private static boolean locked(FileChannel ch) throws IOException {
        try {
            return ch.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    /** Makes a file's creation or rename in {@code dir} durable (best effort: not every file system can). */
    static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("could not sync directory {}: {}", dir, e.toString());
        }
    }

    /**
     * Writes back into {@code file} (identified by {@code fileId}) what the journal holds that the
     * file lost, then syncs it, and starts the journal over. A record is written back only where
     * the file holds, at its offset, its bytes or zeros (a file system that kept the size but not
     * the data) up to the file's end: a file replaced or cut while the node was down gets nothing
     * it did not have.
     *
     * <p>A journal that holds no batch (a clean stop left only its empty record, or it is new)
     * describes nothing already: it is continued where its records end, with no sync of either
     * file, which a start used to spend two on. Its empty record names the file and size it was
     * written after syncing ({@link #reset}): when that is still the file as it is, the file needs
     * no sync either ({@link Replay#durable}); a file replaced, grown or cut while the node was
     * down does not match, and is synced.
     */
    Replay replay(long fileId, Path file) throws IOException {
        long appended = 0;
        try (FileChannel target = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long at = 0;
            long expected = -1;
            boolean batches = false;
            Record last = null;
            while (true) {
                Record r = read(at);
                if (r == null || (expected >= 0 && r.seq != expected)) {
                    break;
                }
                seq = r.seq;
                expected = r.seq + 1;
                at += HEADER + r.bytes.remaining();
                last = r;
                if (r.bytes.remaining() == 0) {
                    continue;
                }
                batches = true;
                if (r.fileId != fileId) {
                    LOG.error("{}: the journal's record at offset {} is of another file than {}; nothing of it is written back",
                            path, r.offset, file);
                    continue;
                }
                long size = target.size();
                Fit fit = r.offset > size ? Fit.OTHER : compare(target, r, size);
                if (fit == Fit.OTHER) {
                    LOG.error("{}: the journal's record at offset {} does not continue {} ({} bytes); "
                            + "nothing of it is written back", path, r.offset, file, size);
                } else if (fit == Fit.ZEROS || r.offset + r.bytes.remaining() > size) {
                    appended += r.bytes.remaining();
                    writeFully(target, r.bytes, r.offset);
                }
            }
            if (!batches) {
                position = at; // the next record continues the sequence it ends
                return new Replay(0, last != null && last.fileId == fileId && last.offset == target.size());
            }
            target.force(false); // the journal starts over: all it held must be in the file
            if (appended > 0) {
                LOG.warn("{}: {} bytes of audit events that were synced only to the journal were written back into {}",
                        path, appended, file);
            }
        }
        reset(0, 0); // names no file: the caller still makes this one durable (Replay#durable is false)
        return new Replay(appended, false);
    }

    /**
     * What {@link #replay} did: the bytes it wrote back, and whether the file is known durable as
     * it is: only when the journal held no batch and its empty record names this file at this size.
     * After a crash (the journal held batches) the file is synced as before.
     */
    record Replay(long appended, boolean durable) {}

    /** What the file holds where a record goes: its bytes (up to the file's end), some zeros instead, or other bytes. */
    private enum Fit { SAME, ZEROS, OTHER }

    private static Fit compare(FileChannel target, Record r, long size) throws IOException {
        int have = (int) Math.min(size - r.offset, r.bytes.remaining());
        ByteBuffer present = ByteBuffer.allocate(have);
        while (present.hasRemaining()) {
            if (target.read(present, r.offset + present.position()) < 0) {
                return Fit.OTHER;
            }
        }
        Fit fit = Fit.SAME;
        for (int i = 0; i < have; i++) {
            byte b = present.get(i);
            if (b != r.bytes.get(i)) {
                if (b != 0) {
                    return Fit.OTHER;
                }
                fit = Fit.ZEROS;
            }
        }
        return fit;
    }

    private Record read(long at) throws IOException {
        if (at + HEADER > SIZE) {
            return null;
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        readFully(h, at);
        h.flip();
        if (h.getInt() != MAGIC) {
            return null;
        }
        long s = h.getLong();
        long id = h.getLong();
        long offset = h.getLong();
        int length = h.getInt();
        int crc = h.getInt();
        if (length < 0 || at + HEADER + length > SIZE || offset < 0) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(length);
        readFully(bytes, at + HEADER);
        bytes.flip();
        if (crc(h.flip().limit(HEADER - 4), bytes) != crc) {
            return null;
        }
        return new Record(s, id, offset, bytes);
    }

    private record Record(long seq, long fileId, long offset, ByteBuffer bytes) {}

    private void readFully(ByteBuffer buf, long at) throws IOException {
        while (buf.hasRemaining()) {
            if (channel.read(buf, at + buf.position()) < 0) {
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

    /** Whether a record of {@code length} bytes fits before the journal's end; if not, see {@link #wrap}. */
    boolean fits(int length) {
        return position + HEADER + length <= SIZE;
    }

    /** Whether a record of {@code length} bytes fits at all: a larger batch is synced in the audit file itself. */
    static boolean fitsEver(int length) {
        return HEADER + (long) length <= SIZE - HEADER;
    }

    /**
     * Continues at the journal's start. The caller has synced the audit file first: every record
     * written so far is in it, so they may be overwritten.
     */
    void wrap() {
        position = 0;
    }

    /** Writes the batch {@code bytes} that went to {@code offset} of the file {@code fileId} (not synced). */
    void append(long fileId, long offset, ByteBuffer bytes) throws IOException {
        int length = bytes.remaining();
        ByteBuffer r = HEADER + length <= RECORD_BUFFER ? record.clear() : ByteBuffer.allocate(HEADER + length);
        r.putInt(MAGIC).putLong(seq + 1).putLong(fileId).putLong(offset).putInt(length);
        checksum.reset();
        checksum.update(r.duplicate().flip());
        checksum.update(bytes.duplicate());
        r.putInt((int) checksum.getValue()).put(bytes.duplicate()).flip();
        writeFully(channel, r, position);
        seq++;
        position += HEADER + length;
    }

    void sync() throws IOException {
        channel.force(false);
    }

    /**
     * Makes the journal describe nothing (the file was synced, replaced or cut): an empty record at
     * its start, synced, so no older record is ever replayed into a file it no longer matches. The
     * record names the file {@code fileId} and the {@code size} at which it was synced, so that the
     * next start can tell the file needs no sync of its own.
     */
    void reset(long fileId, long size) throws IOException {
        position = 0;
        append(fileId, size, ByteBuffer.allocate(0));
        sync();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long start = at - buf.position();
        while (buf.hasRemaining()) {
            ch.write(buf, start + buf.position());
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * The identity a record names its file by: its inode, as the file key says it. Not the device:
     * a device number (LVM, dm, overlay) may change across the very reboot the journal is for,
     * and {@link #replay} compares the bytes before it writes anything back anyway. A key that
     * names no inode (another platform) is hashed whole.
     */
    static long fileId(Object fileKey) {
        String key = String.valueOf(fileKey);
        int at = key.indexOf("ino=");
        if (at >= 0) {
            int end = at + 4;
            while (end < key.length() && Character.isDigit(key.charAt(end))) {
                end++;
            }
            if (end > at + 4) {
                return Long.parseLong(key, at + 4, end, 10);
            }
        }
        long h = 0xcbf29ce484222325L;
        for (char ch : key.toCharArray()) {
            h = (h ^ ch) * 0x100000001b3L;
        }
        return h;
    }

    static Path beside(Path auditFile) {
        return auditFile.resolveSibling(auditFile.getFileName() + ".journal");
    }
}
