package org.portcullis.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Content;

/**
 * Reads a request body chunk by chunk on the request's (virtual) thread: whole up to a limit, or,
 * once it is known to be too large, read and dropped up to a bound so the client, still sending,
 * is not reset before it reads the answer.
 */
final class BodyReader {
    /** A body longer than the limit (the rest of it is still unread). */
    static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private BodyReader() {}

    /** The whole body, or {@link TooLarge} as soon as more than {@code limit} bytes arrived. */
    static byte[] read(Content.Source source, long limit) throws IOException, TooLarge {
        ByteArrayOutputStream out = null; // only for a body of several chunks: a GET's is one empty last chunk
        while (true) {
            Content.Chunk chunk = next(source, Long.MAX_VALUE);
            try {
                if ((out == null ? 0 : out.size()) + (long) chunk.remaining() > limit) {
                    throw new TooLarge();
                }
                byte[] bytes = chunk.hasRemaining() ? new byte[chunk.remaining()] : EMPTY;
                chunk.getByteBuffer().get(bytes);
                if (chunk.isLast() && out == null) {
                    return bytes;
                }
                if (out == null) {
                    out = new ByteArrayOutputStream(Math.max(32, bytes.length * 2));
                }
                out.write(bytes);
                if (chunk.isLast()) {
                    return out.toByteArray();
                }
            } finally {
                chunk.release();
            }
        }
    }

    /**
     * Reads and drops the rest of a body. True when it ended within {@code maxBytes} and before
     * {@code deadlineNanos} ({@link System#nanoTime()}), so the connection can carry another
     * request; false when it had to stop (then the connection must be closed).
     */
    static boolean discard(Content.Source source, long maxBytes, long deadlineNanos) {
        long dropped = 0;
        try {
            while (true) {
                Content.Chunk chunk = next(source, deadlineNanos);
                dropped += chunk.remaining();
                boolean last = chunk.isLast();
                chunk.release();
                if (last) {
                    return true;
                }
                if (dropped > maxBytes) {
                    return false;
                }
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** The next chunk with content or the end; waits for the client at most until the deadline. */
    private static Content.Chunk next(Content.Source source, long deadlineNanos) throws IOException {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk != null) {
                if (Content.Chunk.isFailure(chunk)) {
                    Throwable failure = chunk.getFailure();
                    chunk.release();
                    throw failure instanceof IOException io ? io : new IOException(failure);
                }
                return chunk;
            }
            CompletableFuture<Void> more = new CompletableFuture<>();
            source.demand(() -> more.complete(null));
            try {
                if (deadlineNanos == Long.MAX_VALUE) {
                    more.get();
                } else {
                    more.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the request body", e);
            } catch (ExecutionException e) {
                throw new IOException(e.getCause());
            } catch (TimeoutException e) {
                throw new IOException("the request body did not arrive in time", e);
            }
        }
    }
}
