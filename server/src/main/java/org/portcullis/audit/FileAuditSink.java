package org.portcullis.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.portcullis.config.PortcullisConfig.AuditSettings.Fsync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only JSON-lines file (created with mode 0600), one {@code write(2)} per batch of events.
 *
 * <p><b>Durability</b> ({@code fsync}): {@code always} — the request waits until its line is on
 * disk; concurrent requests share one {@code write} and one {@code fdatasync} (the trail's writer
 * thread batches whatever queued up during the previous sync). The sync is the {@link AuditJournal}'s,
 * beside the file ({@code <file>.journal}), which a batch is also written into: it overwrites
 * space, where syncing the appended file would wait for the file system's own journal as well;
 * the file is synced in the background each time the journal moves to its other half
 * ({@link AuditFileFlusher}), at rotation and on close, and a start after a crash writes back into
 * it from the journal what it lost. {@code interval} — a background thread syncs once a second; a
 * power loss can lose the last second, a process crash cannot (the line is in the page cache
 * before the response). {@code never} — the kernel decides.
 *
 * <p><b>Rotation</b>: before each write the path is checked with one {@code stat}: if it is gone
 * or is another file (logrotate's {@code create}: renamed, then recreated) the old file is synced
 * and closed and the path is opened anew; if it shrank ({@code copytruncate}) writing continues at
 * its new end. Either way the trail then writes an event saying so, chained to the last event of
 * the previous file.
 */
final class FileAuditSink implements AuditSink {
    private static final Logger LOG = LoggerFactory.getLogger(FileAuditSink.class);
    private static final int MAX_TAIL = 1 << 20;
    private static final byte[] NEWLINE = {'\n'};
    private static final int BATCH_BUFFER = 16 << 10;
    /**
     * The largest buffer kept for the next batch. What a batch can need: the writer takes at most
     * 1,024 events at once (AuditWriter's MAX_BATCH), and as each request waits for its own line, a
     * batch holds at most one line per request in flight (at most [http] max_connections, 1,024 by
     * default). A request's line is 0.8-1.1 kB (23,000 lines of a bench run: CADF envelope, ids,
     * chain, MAC). So the largest batch steady traffic makes is about 1.1 MB, for which the buffer
     * doubles from 16 kB to 2 MB: kept, a node at its connection limit allocates nothing per batch
     * (the 256 kB guess before made it allocate 0.5-2 MB per batch once ~250 requests waited at
     * once), for 2 MB of heap held only after such a batch. Batches of far longer lines (large
     * details) still get a buffer of their own that is dropped.
     */
    private static final int MAX_KEPT = 2 << 20;

    private final Path path;
    private final Fsync fsync;
    private final ReentrantLock syncLock = new ReentrantLock();
    private final ScheduledExecutorService syncer;

    // Written by the trail's writer thread; the channel is swapped under syncLock (the interval syncer forces it).
    private FileChannel channel;
    private Object fileKey;
    private long size;
    private long fileId; // the open file's, for the journal
    private final AuditJournal journal; // fsync=always only
    private final AuditFileFlusher flusher; // with the journal only
    private boolean journaled; // the last batch went to the journal, so syncing that makes it durable
    private volatile boolean dirty; // written since the last sync
    private boolean interrupted; // a write failed part-way: the next one starts on a fresh line
    private ByteBuffer batch = ByteBuffer.allocate(BATCH_BUFFER); // the writer thread's, reused per batch

    FileAuditSink(Path path, Fsync fsync) throws IOException {
        this(path, fsync, true);
    }

    /** {@code directJournal} false writes the journal through the page cache, as where the file system refuses direct writes. */
    FileAuditSink(Path path, Fsync fsync, boolean directJournal) throws IOException {
        this.path = path.toAbsolutePath();
        this.fsync = fsync;
        open();
        journal = fsync == Fsync.ALWAYS ? openJournal(directJournal) : null;
        flusher = journal != null ? new AuditFileFlusher() : null;
        if (fsync == Fsync.INTERVAL) {
            syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "audit-fsync");
                t.setDaemon(true);
                return t;
            });
            syncer.scheduleWithFixedDelay(this::syncQuietly, 1, 1, TimeUnit.SECONDS);
        } else {
            syncer = null;
        }
    }

    private void open() throws IOException {
        Path dir = path.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "the audit log's directory does not exist");
        }
        channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        fileKey = attrs.fileKey();
        fileId = AuditJournal.fileId(fileKey);
        size = channel.size();
    }

    @Override
    public Optional<String> lastLine() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            long len = f.length();
            if (len == 0) {
                return Optional.empty();
            }
            int tail = (int) Math.min(len, MAX_TAIL);
            byte[] buf = new byte[tail];
            f.seek(len - tail);
            f.readFully(buf);
            int end = buf.length;
            if (buf[end - 1] != '\n') {
                // A write cut short (disk full, crash): terminate it so the next event starts on its
                // own line. The cut line stays, and verify reports it.
                LOG.warn("{} ends with an incomplete line; it is kept (audit verify will report it) and the chain "
                        + "continues from the last complete line", path);
                write0(ByteBuffer.wrap(NEWLINE));
                channel.force(false); // the journal's records start after it
                int nl = lastIndexOf(buf, end - 1);
                if (nl < 0) {
                    return Optional.empty();
                }
                end = nl + 1;
            }
            int start = lastIndexOf(buf, end - 2) + 1;
            if (start == 0 && tail < len) {
                throw new IOException(path + ": the last line is longer than " + MAX_TAIL + " bytes; not an audit log?");
            }
            return Optional.of(new String(buf, start, end - 1 - start, StandardCharsets.UTF_8));
        }
    }

    private static int lastIndexOf(byte[] buf, int from) {
        for (int i = from; i >= 0; i--) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String rotated() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            reopen();
            return path + " was moved away or deleted; a new file was started";
        }
        if (!channel.isOpen()) {
            // An earlier reopen failed half-way (the directory was gone): the file is back, so open
            // it again, or the trail would refuse every request although the sink works.
            Object before = fileKey;
            reopen();
            return before.equals(fileKey) ? null : path + " was replaced while the trail could not write";
        }
        if (!attrs.fileKey().equals(fileKey)) {
            reopen();
            return path + " was replaced by another file (rotated)";
        }
        if (attrs.size() < size) {
            size = attrs.size();
            if (journal != null) {
                flusher.settle();
                makeDurable(); // the cut, before records that count from it
                journal.reset(fileId, size); // its records' offsets are from before the cut
            }
            return path + " was truncated (copytruncate)";
        }
        return null;
    }

    /**
     * The journal beside the file, after writing back what a crash left only in it; null when
     * another writer holds it: it only makes syncs cheaper, so this one then syncs the file itself.
     * The file and its directory entry are synced unless the journal vouches for them as they are
     * (the sync of a clean stop, rotation or cut named it at its size): each sync costs the start a device flush.
     */
    private AuditJournal openJournal(boolean direct) throws IOException {
        AuditJournal j = null;
        try {
            j = AuditJournal.open(AuditJournal.beside(path), direct);
            boolean durable = false;
            if (j == null) {
                LOG.warn("{}: another process holds its journal; this one syncs the audit file itself", path);
            } else {
                AuditJournal.Replay replay = j.replay(fileId, path);
                if (replay.appended() > 0) {
                    size = channel.size();
                }
                durable = replay.durable();
            }
            if (!durable) {
                makeDurable();
            }
            return j;
        } catch (IOException | RuntimeException e) {
            if (j != null) {
                j.close();
            }
            channel.close();
            throw e;
        }
    }

    /**
     * With the journal, the file's own syncs are rare, and a sync of the journal commits nothing of
     * the file system's metadata: the file's creation (or the size a cut left) must be made durable
     * before the journal's records count on it.
     */
    private void makeDurable() throws IOException {
        channel.force(true);
        AuditJournal.syncDirectory(path.getParent());
    }

    private void reopen() throws IOException {
        syncLock.lock();
        try {
            if (flusher != null) {
                flusher.settle(); // before its channel closes
            }
            FileChannel old = channel;
            if (old.isOpen()) { // closed already when an earlier reopen failed
                try {
                    if (fsync != Fsync.NEVER) {
                        old.force(false);
                    }
                } finally {
                    old.close();
                }
            }
            open();
            if (journal != null) {
                makeDurable();
                journal.reset(fileId, size); // the old file was synced: nothing in the journal is needed
            }
        } finally {
            syncLock.unlock();
        }
    }

    /**
     * Copies the batch into {@link #batch}, a buffer the writer thread reuses, for one write (and
     * one journal record).
     */
    @Override
    public void write(List<byte[]> lines) throws IOException {
        ByteBuffer buf = batch;
        buf.clear();
        journaled = false;
        if (interrupted && journal != null) {
            channel.force(false); // the cut write's bytes are in no journal record
        }
        long offset = size;
        if (interrupted) {
            buf = put(buf, NEWLINE);
        }
        for (byte[] line : lines) {
            buf = put(put(buf, line), NEWLINE);
        }
        // An odd large batch (a rotation's burst) does not keep its buffer.
        batch = buf.capacity() <= MAX_KEPT ? buf : ByteBuffer.allocate(BATCH_BUFFER);
        write0(buf.flip());
        dirty = true;
        if (journal != null && AuditJournal.fitsEver(buf.rewind().remaining())) {
            journal(offset, buf);
        }
    }

    /**
     * Puts the batch into the journal too. The lines are in the file already, so a failure here
     * must not fail the write (the trail would reuse their place in the chain): the batch is
     * then synced in the file itself, which reports what is wrong with it, if anything.
     */
    private void journal(long offset, ByteBuffer buf) {
        try {
            if (!journal.fits(buf.remaining())) {
                flusher.turn(channel); // the half the journal goes to must be in the file; the one it leaves will be
                journal.nextHalf();
            }
            journal.append(fileId, offset, buf);
            journaled = true;
        } catch (IOException e) {
            LOG.warn("audit journal beside {}: {}; this batch is synced in the file itself", path, e.toString());
        }
    }

    private static ByteBuffer put(ByteBuffer buf, byte[] bytes) {
        if (buf.remaining() < bytes.length) {
            buf = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + bytes.length)).put(buf.flip());
        }
        return buf.put(bytes);
    }

    private void write0(ByteBuffer buf) throws IOException {
        int length = buf.remaining();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            interrupted |= buf.position() > 0; // part of a line is in the file
            size += buf.position();
            throw e;
        }
        interrupted = false;
        size += length;
    }

    @Override
    public void sync() throws IOException {
        if (fsync != Fsync.ALWAYS) {
            return;
        }
        syncLock.lock();
        try {
            dirty = false;
            if (journaled) {
                journal.sync();
            } else {
                channel.force(false);
            }
        } finally {
            syncLock.unlock();
        }
    }

    private void syncQuietly() {
        syncLock.lock();
        try {
            if (dirty && channel.isOpen()) {
                dirty = false;
                channel.force(false);
            }
        } catch (IOException e) {
            LOG.error("audit log {}: fsync failed: {}", path, e.toString());
        } finally {
            syncLock.unlock();
        }
    }

    @Override
    public boolean looksWritable() {
        // The trail's writer asks once a second (API requests read its answer), health checks ask
        // live: the usual answer costs one access(2), the rest only when it fails.
        if (Files.isWritable(path)) {
            return true;
        }
        Path dir = path.getParent();
        return !Files.exists(path) && dir != null && Files.isWritable(dir);
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public void close() throws IOException {
        if (syncer != null) {
            syncer.shutdownNow();
        }
        syncLock.lock();
        try (AuditJournal j = journal; AuditFileFlusher f = flusher) {
            if (f != null) {
                f.settle();
            }
            if (!channel.isOpen()) {
                return;
            }
            if (fsync != Fsync.NEVER) {
                channel.force(false);
            }
            channel.close();
            if (j != null) {
                j.reset(fileId, size); // all of it is in the file now
            }
        } finally {
            syncLock.unlock();
        }
    }
}
