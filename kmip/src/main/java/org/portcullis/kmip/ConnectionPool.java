package org.portcullis.kmip;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code poolSize} connections, opened on demand and kept for reuse. A caller takes a
 * permit (waiting up to the connect timeout when all are busy), reuses an idle connection or opens
 * a new one, and gives it back after a clean round trip. A connection that failed in any way is
 * closed, never returned, so a half-read response cannot leak into the next request.
 */
final class ConnectionPool implements AutoCloseable {
    interface Exchange<T> {
        T apply(KmipConnection connection) throws IOException;
    }

    private final KmipClientConfig config;
    private final Semaphore permits;
    private final Deque<KmipConnection> idle = new ArrayDeque<>();
    private final AtomicLong opened = new AtomicLong();
    private volatile boolean closed;

    ConnectionPool(KmipClientConfig config) {
        this.config = config;
        this.permits = new Semaphore(config.poolSize(), true);
    }

    /**
     * Runs {@code exchange} on a pooled connection. A reused connection that turns out to have been
     * dropped by the server ({@link KmipConnection.Stale}) is replaced by a fresh one once.
     */
    <T> T with(Exchange<T> exchange) throws IOException {
        acquire();
        try {
            KmipConnection c = take();
            try {
                T result;
                try {
                    result = exchange.apply(c);
                } catch (KmipConnection.Stale stale) {
                    c.close();
                    c = open();
                    result = exchange.apply(c);
                }
                give(c);
                c = null;
                return result;
            } finally {
                if (c != null) {
                    c.close();
                }
            }
        } finally {
            permits.release();
        }
    }

    private void acquire() throws IOException {
        if (closed) {
            throw new IOException("the KMIP client is closed");
        }
        try {
            if (!permits.tryAcquire(config.connectTimeout().toMillis() + config.readTimeout().toMillis(),
                    TimeUnit.MILLISECONDS)) {
                throw new java.net.SocketTimeoutException("all " + config.poolSize() + " KMIP connections stayed busy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a KMIP connection");
        }
    }

    private KmipConnection take() throws IOException {
        KmipConnection c;
        synchronized (idle) {
            c = idle.pollFirst();
        }
        return c != null ? c : open();
    }

    private KmipConnection open() throws IOException {
        KmipConnection c = KmipConnection.open(config);
        opened.incrementAndGet();
        return c;
    }

    private void give(KmipConnection c) {
        synchronized (idle) {
            if (!closed) {
                idle.addFirst(c); // most recently used first: the others may time out and be closed by the server
                return;
            }
        }
        c.close();
    }

    /** How many connections were opened so far (TLS handshakes done). */
    long opened() {
        return opened.get();
    }

    int idle() {
        synchronized (idle) {
            return idle.size();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.forEach(KmipConnection::close);
            idle.clear();
        }
    }
}
