package org.portcullis.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs the audit file on a thread of its own, for the {@link AuditJournal}: before the journal
 * overwrites a half, the file must hold durably every line that half holds. A sync started as the
 * journal leaves a half, and waited for only when it comes back to it, runs while requests go on:
 * the writer waits only if the disk writes lines back slower than the journal takes them in. Used by
 * the trail's writer thread only (and at close, after it has stopped).
 */
final class AuditFileFlusher implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditFileFlusher.class);

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "audit-flush");
        t.setDaemon(true);
        return t;
    });
    private Future<?> pending;
    private FileChannel pendingFile;

    /** Waits for the sync started last (see {@link #finish}), then starts one of {@code file} as it is now. */
    void turn(FileChannel file) throws IOException {
        finish();
        pending = thread.submit(() -> {
            file.force(false);
            return null;
        });
        pendingFile = file;
    }

    /**
     * Waits for the sync in flight, if any. One that failed is tried again here, and what it throws
     * is thrown; it stays the sync in flight, tried again by the next call, since the journal half
     * it was for must not be overwritten until one succeeds.
     */
    void finish() throws IOException {
        if (pending == null) {
            return;
        }
        try {
            pending.get();
        } catch (ExecutionException e) {
            LOG.warn("audit file sync in the background failed ({}); trying again", e.getCause().toString());
            pendingFile.force(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the audit file's sync");
        }
        pending = null;
        pendingFile = null;
    }

    /**
     * {@link #finish}, before the journal starts over or the file's channel closes: a failure is
     * only logged, as the caller syncs the file itself next, which reports it.
     */
    void settle() {
        try {
            finish();
        } catch (IOException e) {
            LOG.warn("audit file sync: {}", e.toString());
        } finally {
            pending = null;
            pendingFile = null;
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
