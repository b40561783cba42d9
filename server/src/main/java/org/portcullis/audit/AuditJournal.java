package org.portcullis.audit;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit file's write-ahead journal for {@code fsync = always}: a fixed-size file, written once
 * with zeros, into which every batch is also written, in place, instead of syncing the audit file.
 * Appending to a file and syncing it waits for the file system's own journal too; overwriting space
 * already written changes no size, and a write with {@code O_DIRECT|O_DSYNC} is then one system call
 * that returns once the batch is on the device: about 27 µs of kernel CPU per batch on the bench's
 * disk, against 47 µs for {@code write} plus {@code fdatasync}, and no slower. Where the file system
 * refuses direct writes (its first one fails) the journal is written through the page cache and
 * synced, as before. The audit file itself keeps exactly its format (verify, rotation and readers
 * see the same lines).
 *
 * <p>The journal is two halves. Records start at {@link #BLOCK} boundaries (direct writes must) and
 * never straddle the halves: one that does not fit in its half starts the other ({@link #nextHalf}),
 * whose records it then overwrites, so the audit file must hold those durably by then. The sink
 * starts a sync of the audit file, in the background, as the journal leaves a half, and waits for it
 * only when the journal comes back to that half ({@link AuditFileFlusher}): the file's sync (~4 ms for
 * 2 MB of lines on the bench's disk) no longer stops every request in flight a few times a second.
 * After a crash {@link JournalReplay} appends from both halves what the file lost.
 *
 * <p>A record: magic, sequence number, the audit file's identity, the batch's offset in it, its
 * length, a CRC32C of all that and the bytes, then the bytes, then zeros up to the next block.
 * Version 2 ({@link #MAGIC_V2}); version 1 records ({@link #MAGIC_V1}: back to back, in one 2 MB run,
 * before direct writes) are still read, so a node upgraded after a crash replays what it journaled.
 */
final class AuditJournal implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditJournal.class);
    static final int SIZE = 4 << 20;
    static final int HALF = SIZE / 2;
    /** Records' alignment: a multiple of every common file-system block size, which direct writes align to. */
    static final int BLOCK = 4096;
    static final int MAGIC_V1 = 0x50414a31; // "PAJ1"
    static final int MAGIC_V2 = 0x50414a32; // "PAJ2"
    static final int HEADER = 4 + 8 + 8 + 8 + 4 + 4;
    private static final int CHUNK = 64 << 10;

    /**
     * The records' buffer's first size: a record goes to the journal in one write of header, bytes
     * and padding together, from a direct, block-aligned buffer, as direct writes need. It grows to
     * the largest record yet and is kept (at most {@link #HALF}): a new direct buffer per large
     * batch would be freed only by a GC, and the JDK forces full GCs once direct memory runs short.
     */
    private static final int RECORD_BUFFER = 64 << 10;
    private static final byte[] PADDING = new byte[BLOCK];

    private final Path path;
    private final FileChannel channel; // holds the lock; zero fill and replay read and write through it
    private FileChannel writes; // records go through it: direct and synced when the file system allows, else channel
    private boolean proven; // a direct write succeeded: a later failure is the device's, not the file system's refusal
    private ByteBuffer record = aligned(RECORD_BUFFER);
    private final CRC32C checksum = new CRC32C(); // append's, reset per record
    private long seq;
    private long position;
    private long end = HALF; // the end of the half records go to now

    private AuditJournal(Path path, FileChannel channel, FileChannel direct) {
        this.path = path;
        this.channel = channel;
        this.writes = direct != null ? direct : channel;
    }

    /** {@link #open(Path, boolean)} with direct writes where the file system allows them. */
    static AuditJournal open(Path path) throws IOException {
        return open(path, true);
    }

    /**
     * Opens {@code path}, writing it full of zeros (and syncing it and its directory) when it is new
     * or short; null when another process holds it (a second writer of the same audit file, or two
     * operator commands at once): each would overwrite the other's records, so the second one syncs
     * its audit file itself. {@code direct} false writes through the page cache, then syncs.
     */
    static AuditJournal open(Path path, boolean direct) throws IOException {
        FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileChannel d = null;
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
            d = direct ? openDirect(path) : null;
            return new AuditJournal(path, ch, d);
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (d != null) {
                d.close();
            }
            throw e;
        }
    }

    /** The journal opened for direct, synced writes; null where that cannot be opened (a block size it cannot meet). */
    private static FileChannel openDirect(Path path) {
        try {
            if (BLOCK % Files.getFileStore(path).getBlockSize() != 0) {
                return null;
            }
            return FileChannel.open(path, Set.of(StandardOpenOption.WRITE, StandardOpenOption.DSYNC,
                    ExtendedOpenOption.DIRECT));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("{}: no direct writes here ({}); the journal is written through the page cache and synced", path, e.toString());
            return null;
        }
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

    /** Whether records go to the journal with direct, synced writes (else through the page cache, then synced). */
    boolean direct() {
        return writes != channel;
    }

    /**
     * Writes back into {@code file} (identified by {@code fileId}) what the journal holds that the
     * file lost (see {@link JournalReplay}), then syncs it, and starts the journal over.
     *
     * <p>A journal that holds no batch (a clean stop left only its empty record, or it is new)
     * describes nothing already: it is continued where its records end, with no sync of either
     * file, which a start used to spend two on. Its empty record names the file and size it was
     * written after syncing ({@link #reset}): when that is still the file as it is, the file needs
     * no sync either ({@link Replay#durable}); a file replaced, grown or cut while the node was
     * down does not match, and is synced.
     */
    Replay replay(long fileId, Path file) throws IOException {
        JournalReplay.Outcome outcome = JournalReplay.run(channel, path, fileId, file);
        seq = outcome.lastSeq(); // above every record in the journal: none of them can continue a new sequence
        if (outcome.continueAt() >= 0) {
            position = outcome.continueAt();
            end = position <= HALF ? HALF : SIZE;
            return new Replay(0, outcome.durable());
        }
        reset(0, 0); // names no file: the caller still makes this one durable (Replay#durable is false)
        return new Replay(outcome.appended(), false);
    }

    /**
     * What {@link #replay} did: the bytes it wrote back, and whether the file is known durable as
     * it is: only when the journal held no batch and its empty record names this file at this size.
     * After a crash (the journal held batches) the file is synced as before.
     */
    record Replay(long appended, boolean durable) {}

    /** The journal's bytes a record of {@code length} bytes takes: header, bytes and padding to a block. */
    static int span(int length) {
        return (HEADER + length + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** Whether a record of {@code length} bytes fits in the half records go to now; if not, see {@link #nextHalf}. */
    boolean fits(int length) {
        return position + span(length) <= end;
    }

    /** Whether a record of {@code length} bytes fits in a half at all: a larger batch is synced in the audit file itself. */
    static boolean fitsEver(int length) {
        return span(length) <= HALF;
    }

    /**
     * Continues at the start of the other half. The caller has made sure that the audit file holds
     * durably every record that half holds, which are overwritten from now on.
     */
    void nextHalf() {
        position = end == HALF ? HALF : 0;
        end = end == HALF ? SIZE : HALF;
    }

    /** Writes the batch {@code bytes} that went to {@code offset} of the file {@code fileId}; durable once {@link #sync} returns. */
    void append(long fileId, long offset, ByteBuffer bytes) throws IOException {
        int length = bytes.remaining();
        int span = span(length);
        if (span > record.capacity()) {
            record = aligned(Math.max(span, Math.min(2 * record.capacity(), HALF)));
        }
        ByteBuffer r = record.clear().limit(span);
        r.putInt(MAGIC_V2).putLong(seq + 1).putLong(fileId).putLong(offset).putInt(length);
        checksum.reset();
        checksum.update(r.duplicate().flip());
        checksum.update(bytes.duplicate());
        r.putInt((int) checksum.getValue()).put(bytes.duplicate()).put(PADDING, 0, r.remaining()).flip();
        write(r, position);
        seq++;
        position += span;
    }

    /**
     * One record's write. A direct write the file system refuses (some accept the open, then fail
     * the write) turns direct writes off for good, once: the record is written again through the
     * page cache. After a direct write has succeeded, a failure is the device's, and is thrown.
     */
    private void write(ByteBuffer r, long at) throws IOException {
        if (writes == channel || proven) {
            writeFully(writes, r, at);
            return;
        }
        try {
            writeFully(writes, r, at);
            proven = true;
        } catch (IOException e) {
            LOG.info("{}: the file system refused a direct write ({}); the journal is written through the page cache and synced",
                    path, e.toString());
            writes.close();
            writes = channel;
            writeFully(channel, r.rewind(), at);
        }
    }

    /** Makes what was appended durable: nothing left to do after direct, synced writes. */
    void sync() throws IOException {
        if (writes == channel) {
            channel.force(false);
        }
    }

    /**
     * Makes the journal describe nothing (the file was synced, replaced or cut): the other half's
     * first block zeroed and an empty record at the journal's start, synced, so no older record is
     * ever replayed into a file it no longer matches. The record names the file {@code fileId} and
     * the {@code size} at which it was synced, so that the next start can tell the file needs no
     * sync of its own.
     */
    void reset(long fileId, long size) throws IOException {
        write(aligned(BLOCK), HALF);
        position = 0;
        end = HALF;
        append(fileId, size, ByteBuffer.allocate(0));
        sync();
    }

    private static ByteBuffer aligned(int capacity) {
        return ByteBuffer.allocateDirect(capacity + BLOCK).alignedSlice(BLOCK).limit(capacity);
    }

    static void writeFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long start = at - buf.position();
        while (buf.hasRemaining()) {
            ch.write(buf, start + buf.position());
        }
    }

    @Override
    public void close() throws IOException {
        try (FileChannel c = channel) {
            if (writes != channel) {
                writes.close();
            }
        }
    }

    /**
     * The identity a record names its file by: its inode, as the file key says it. Not the device:
     * a device number (LVM, dm, overlay) may change across the very reboot the journal is for,
     * and {@link JournalReplay} compares the bytes before it writes anything back anyway. A key that
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
