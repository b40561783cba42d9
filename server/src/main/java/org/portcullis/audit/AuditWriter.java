package org.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.crypto.Mac;
import org.portcullis.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trail's writer thread and the chain it owns: takes every event waiting, seals them in order,
 * writes them with one write and one sync (group commit: while a sync runs, the next batch
 * gathers), then answers their requests. One thread owns the chain, so no lock is needed around it.
 *
 * <p>No request waits longer than {@value #WAIT_SECONDS} s: a watchdog thread fails the events a
 * hanging sink holds (a stuck NFS mount, a dying disk). One check a second for the whole trail costs
 * less than a timer per request, which every event used to arm and cancel.
 */
final class AuditWriter {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    static final long WAIT_SECONDS = 10;
    private static final int MAX_BATCH = 1024;
    static final long LOOK_MILLIS = 1000;

    /**
     * An event waiting for the writer thread, already rendered up to its chain ({@link AuditLine#body});
     * {@code done} completes once it is written (and synced).
     */
    private record Pending(byte[] body, CompletableFuture<Void> done, long submitted) {}

    private static final Pending STOP = new Pending(null, null, 0);
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(WAIT_SECONDS);

    private final AuditSink sink;
    private final AuditKey key;
    private Mac mac; // the writer thread's own
    private final byte[] keyIdMember;
    private final String observer;
    /** Makes the event that starts a new file after log rotation, from its details. */
    private final Function<Map<String, ?>, AuditEvent> rotationEvent;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private Thread thread;
    private Thread watchdog;
    /** The batch the writer thread is writing now, for the watchdog; null between batches. */
    private volatile List<Pending> writing;
    // Written by the writer thread only (and before it starts).
    private long seq;
    private byte[] prev = AuditLine.GENESIS;
    private volatile boolean broken;
    private volatile boolean closed;
    /** The sink's last {@link AuditSink#looksWritable} answer, taken by the writer thread (see {@link #look}). */
    private volatile boolean looksWritable = true;
    private long lookedAt; // writer thread only

    AuditWriter(AuditSink sink, AuditKey key, String observer, Function<Map<String, ?>, AuditEvent> rotationEvent) {
        this.sink = sink;
        this.key = key;
        this.keyIdMember = AuditLine.keyIdMember(key.keyId());
        this.observer = observer;
        this.rotationEvent = rotationEvent;
    }

    /** Continues the chain after {@code line} (the sink's last); false when it is not a sealed event. */
    boolean continueFrom(String line) {
        int json = line.indexOf("{\"typeURI\"");
        AuditLine.Sealed sealed = json < 0 ? null : AuditLine.split(line.substring(json));
        if (sealed == null) {
            return false;
        }
        try {
            JsonNode chain = Json.MAPPER.readTree(sealed.canonical()).path("chain");
            if (!chain.path("seq").canConvertToLong()) {
                return false;
            }
            seq = chain.path("seq").asLong();
            prev = sealed.hmac();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    long seq() {
        return seq;
    }

    /** True from a failed write until the next successful one. */
    boolean broken() {
        return broken;
    }

    int queueDepth() {
        return queue.size();
    }

    void markBroken() {
        broken = true;
    }

    /** Whether the sink looked writable at its last look (at most {@value #LOOK_MILLIS} ms ago while the writer runs). */
    boolean looksWritable() {
        return looksWritable;
    }

    /** A look taken elsewhere (a health check's, live) is newer than the writer's. */
    void looked(boolean writable) {
        looksWritable = writable;
    }

    void start() {
        lookedAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(LOOK_MILLIS); // the first loop looks
        thread = Thread.ofPlatform().name("audit-writer").daemon(true).start(this::loop);
        watchdog = Thread.ofPlatform().name("audit-watchdog").daemon(true).start(this::watch);
    }

    /** Renders the event on the caller's thread, in parallel with other requests, and queues it for the writer. */
    CompletableFuture<Void> submit(AuditEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] body;
        try {
            body = AuditLine.body(event, observer);
        } catch (RuntimeException e) { // details Jackson cannot write: this event fails as a failed write would
            done.completeExceptionally(e);
            return done;
        }
        // Checked after rendering, right before queueing: the window in which stop() may queue its
        // marker first (leaving this event unanswered) stays as narrow as it was before rendering moved here.
        if (closed) {
            done.completeExceptionally(new IOException("the audit trail is closed"));
        } else {
            queue.add(new Pending(body, done, System.nanoTime()));
        }
        return done;
    }

    /**
     * Waits for a submitted event to be written; the watchdog fails it after {@value #WAIT_SECONDS} s,
     * so the wait needs no timer of its own.
     */
    static void await(CompletableFuture<Void> done) throws IOException {
        try {
            done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the audit trail", e);
        }
    }

    private void loop() {
        while (true) {
            look();
            Pending first;
            try {
                first = queue.poll(LOOK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                continue;
            }
            // A new list per batch: the watchdog may still be reading the last one, so it is never
            // cleared or reused, and needs no copy either.
            List<Pending> batch = new ArrayList<>();
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = removeStop(batch);
            if (!batch.isEmpty()) {
                writeBatch(batch);
            }
            if (stop) {
                return;
            }
        }
    }

    /**
     * Takes the stop marker out of a batch, found by identity: {@code List.remove} would call the
     * record's generated {@code equals} on every event, and its first call links that method at
     * run time (~15 ms, while the start waits for its "node started" event to be written).
     */
    private static boolean removeStop(List<Pending> batch) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) == STOP) {
                batch.remove(i);
                return true;
            }
        }
        return false;
    }

    /**
     * Asks the sink whether it looks writable (for a file: one access(2)), at most once per
     * {@value #LOOK_MILLIS} ms, so that API requests, which all ask ({@link AuditTrail#ready}), read
     * a flag instead of making a system call each. Taken here rather than by the watchdog: a sink
     * that hangs may hang in the look as well, and the watchdog must stay free to fail its events.
     */
    private void look() {
        long now = System.nanoTime();
        if (now - lookedAt >= TimeUnit.MILLISECONDS.toNanos(LOOK_MILLIS)) {
            lookedAt = now;
            looksWritable = sink.looksWritable();
        }
    }

    private void writeBatch(List<Pending> batch) {
        writing = batch;
        try {
            writeBatch0(batch);
        } finally {
            writing = null;
        }
    }

    /**
     * Fails every event that has waited {@value #WAIT_SECONDS} s, in the batch being written or in
     * the queue (oldest first), as a timer per event would have. If the sink gets through later,
     * its lines are written all the same, as before.
     */
    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            List<Pending> batch = writing;
            if (batch != null) {
                for (Pending p : batch) {
                    expire(p, now);
                }
            }
            for (Pending p : queue) {
                if (p.done() != null && !expire(p, now)) {
                    break;
                }
            }
        }
    }

    private static boolean expire(Pending p, long now) {
        if (now - p.submitted() < WAIT_NANOS) {
            return false;
        }
        if (p.done().completeExceptionally(new IOException(
                "the audit sink did not complete a write within " + WAIT_SECONDS + " s"))) {
            LOG.error("audit trail: an event waited {} s for the sink; its request is refused", WAIT_SECONDS);
        }
        return true;
    }

    private void writeBatch0(List<Pending> batch) {
        long seq0 = seq;
        byte[] prev0 = prev;
        boolean written = false;
        try {
            List<byte[]> lines = new ArrayList<>(batch.size() + 1);
            String rotation = sink.rotated();
            if (rotation != null) {
                LOG.info("audit trail: {}; the new file continues the chain at seq {}", rotation, seq + 1);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("reason", rotation);
                details.put("previous_seq", seq);
                details.put("previous_hmac", HexFormat.of().formatHex(prev));
                lines.add(seal(AuditLine.body(rotationEvent.apply(details), observer)));
            }
            for (Pending p : batch) {
                lines.add(seal(p.body()));
            }
            sink.write(lines);
            written = true;
            sink.sync();
            broken = false;
            for (Pending p : batch) {
                p.done().complete(null);
            }
        } catch (IOException | RuntimeException e) {
            broken = true;
            if (!written) { // nothing reached the sink: the chain goes on from where it was
                seq = seq0;
                prev = prev0;
            }
            for (Pending p : batch) {
                p.done().completeExceptionally(e);
            }
        }
    }

    /** The next line of the chain, as UTF-8; advances it. */
    private byte[] seal(byte[] body) {
        if (mac == null) {
            mac = key.newMac();
        }
        byte[] hmac = new byte[prev.length]; // a new array: it becomes prev, which a failed batch restores
        byte[] line = AuditLine.seal(body, seq + 1, prev, keyIdMember, mac, hmac);
        seq++;
        prev = hmac;
        return line;
    }

    /** Lets the writer finish what was submitted, then stops it. */
    void stop() {
        closed = true;
        if (watchdog != null) {
            watchdog.interrupt();
        }
        if (thread != null) {
            queue.add(STOP);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
