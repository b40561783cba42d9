package org.portcullis.audit;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where sealed lines go. Only {@link AuditTrail}'s writer thread calls it: {@link #rotated}, then
 * {@link #write} with a batch of lines in chain order, then {@link #sync}, so the requests of one
 * batch share one write and one fsync (group commit). Any {@link IOException} means the batch was
 * not recorded: the trail refuses those requests.
 */
interface AuditSink extends Closeable {
    /**
     * The last complete line already in the sink, to continue its chain; empty for a new sink, and
     * always for a write-only one (syslog), which is all the default knows.
     */
    default Optional<String> lastLine() throws IOException {
        return Optional.empty();
    }

    /**
     * Called before every write: if the sink's file was moved away or truncated since the last
     * write (log rotation), starts writing to the new file and says what happened; else null, which
     * is always the answer of a sink without a file (the default).
     */
    default String rotated() throws IOException {
        return null;
    }

    /**
     * Writes the lines, each UTF-8 without its newline (the sink adds one), all or none as far as
     * the sink can tell. Bytes, as the writer sealed them: a file sink copies them as they are.
     */
    void write(List<byte[]> lines) throws IOException;

    /** Returns once everything written is as durable as the sink's policy promises. */
    void sync() throws IOException;

    /**
     * A cheap look without writing (for health checks, which must not add an event per poll):
     * false when a write would surely fail, e.g. the file's directory is gone.
     */
    default boolean looksWritable() {
        return true;
    }

    /** Where the lines go, for messages. */
    String describe();
}
