package org.portcullis.audit;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * Where sealed lines go. {@link AuditTrail} calls {@link #rotated}, {@link #write} under its lock,
 * one event at a time and in chain order, and {@link #awaitDurable} after releasing it, so
 * several requests can share one fsync (group commit). Any {@link IOException} means the event
 * was not recorded: the trail refuses the request.
 */
interface AuditSink extends Closeable {
    /** The last complete line already in the sink, to continue its chain; empty for a new or write-only sink. */
    Optional<String> lastLine() throws IOException;

    /**
     * Called before every write: if the sink's file was moved away or truncated since the last
     * write (log rotation), starts writing to the new file and says what happened; else null.
     */
    String rotated() throws IOException;

    /** Writes one line (a newline is added); returns a ticket for {@link #awaitDurable}. */
    long write(String line) throws IOException;

    /** Returns once the write with this ticket is as durable as the sink's policy promises. */
    void awaitDurable(long ticket) throws IOException;

    /** Where the lines go, for messages. */
    String describe();
}
