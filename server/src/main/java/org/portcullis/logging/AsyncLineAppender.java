package org.portcullis.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stderr log, written by a thread of its own: the thread that logs (a request's, for its
 * access line) hands the event over and goes on; the writer takes every event waiting and writes
 * their lines with one {@code write(2)}, where logback's console appender made one per line under
 * a lock that the request threads queued for. After each write it lets the next lines gather for
 * {@value #LINGER_MILLIS} ms.
 *
 * <p>No line is dropped: a full queue makes the logging thread wait, and {@link #flush} — run at
 * shutdown, after the node's last line — waits until every event handed over is written. The
 * event keeps its own time, thread and MDC (request id, project): they are taken when it is
 * logged, not when it is written.
 */
final class AsyncLineAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private static final int QUEUE = 8192;
    private static final long FLUSH_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * How long the writer lets lines gather after a write before it takes the next batch. Without
     * it, under load it woke for nearly every access line: one futex wake-up from the request's
     * carrier thread and one write(2) per line, more than half of the writer's CPU. At 2 ms, the
     * sleep's timer and the write per batch were still over half of the writer's 2.5 µs per GET
     * payload (round 15's profile). A line reaches stderr at most this much later (and a
     * {@link #flush} waits at most this much longer); no request waits for it.
     */
    private static final long LINGER_MILLIS = 10;

    private final BlockingQueue<ILoggingEvent> queue = new ArrayBlockingQueue<>(QUEUE);
    private volatile Encoder<ILoggingEvent> encoder;
    private Thread writer;
    private final AtomicLong handedOver = new AtomicLong();
    private long written; // guarded by this; flush waits on this for it to reach handedOver

    void encoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for appender " + name);
            return;
        }
        writer = Thread.ofPlatform().name("log-writer").daemon(true).start(this::loop);
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing(); // message, thread name and MDC, as of now
        handedOver.incrementAndGet();
        try {
            queue.put(event);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            write(List.of(event)); // not lost: written by the caller itself
        }
    }

    private void loop() {
        List<ILoggingEvent> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch);
                write(batch);
                Thread.sleep(LINGER_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                // An Error (out of memory, a broken encoder) must not end this thread: every
                // logging thread would then wait on the full queue for good, requests included.
                // The batch is lost, and said so; the writer goes on with the next.
                addError("could not write " + batch.size() + " log lines", t);
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<ILoggingEvent> batch) {
        try {
            ByteArrayOutputStream lines = new ByteArrayOutputStream(batch.size() * 256);
            Encoder<ILoggingEvent> enc = encoder;
            for (ILoggingEvent event : batch) {
                try {
                    lines.writeBytes(enc.encode(event));
                } catch (RuntimeException e) {
                    addError("could not encode a log event", e);
                }
            }
            // System.err as it is now, like logback's console appender (a test may have replaced it).
            System.err.write(lines.toByteArray(), 0, lines.size());
            System.err.flush();
        } finally {
            // counted even when the write failed: flush waits for events settled, not for ever
            synchronized (this) {
                written += batch.size();
                notifyAll();
            }
        }
    }

    /** Waits (at most 10 s) until every event handed over so far is written. */
    void flush() {
        long deadline = System.nanoTime() + FLUSH_NANOS;
        synchronized (this) {
            long target = handedOver.get();
            long left;
            while (written < target && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop(); // no new events from here on
        flush();
        writer.interrupt();
    }
}
