package org.portcullis.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes HTTP/1.1 connections whose client sends a request too slowly (slowloris): a request's
 * headers and body must arrive within {@code timeout} of its first byte, and a new connection's
 * first request (including the TLS handshake) within {@code timeout} of the connect. The idle
 * timeout alone does not do this, since a client sending one byte just before each idle expiry
 * would keep the connection, and a server thread's worth of state, forever.
 *
 * <p>Jetty 12 does not enforce a minimum request data rate itself, so a watchdog samples every
 * open connection's parser a few times per timeout. Between requests of a keep-alive connection
 * only the idle timeout applies.
 */
final class SlowRequestGuard extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(SlowRequestGuard.class);

    private final long timeoutNanos;
    private final long checkMillis;
    private final LongSupplier nanoTime;
    private final Map<HttpConnection, Watch> open = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    /** Per connection: the request count last seen and since when a request has been arriving (0: none). */
    private static final class Watch {
        long requestsSeen;
        long since;

        Watch(long since) {
            this.since = since;
        }
    }

    SlowRequestGuard(long timeoutMillis) {
        this(timeoutMillis, System::nanoTime);
    }

    SlowRequestGuard(long timeoutMillis, LongSupplier nanoTime) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.checkMillis = Math.max(50, Math.min(1000, timeoutMillis / 4));
        this.nanoTime = nanoTime;
    }

    @Override
    protected void doStart() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slow-request-guard");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
        open.clear();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, new Watch(nanoTime.getAsLong()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.remove(http);
        }
    }

    /** One sweep; package-private so a test can drive it. */
    void check() {
        long now = nanoTime.getAsLong();
        for (Map.Entry<HttpConnection, Watch> e : open.entrySet()) {
            HttpConnection connection = e.getKey();
            Watch watch = e.getValue();
            long requests = connection.getMessagesIn();
            HttpParser.State state = connection.getParser().getState();
            boolean firstPending = requests == 0 && state == HttpParser.State.START;
            boolean arriving = state != HttpParser.State.START && state != HttpParser.State.END
                    && state != HttpParser.State.CLOSE && state != HttpParser.State.CLOSED;
            if (requests != watch.requestsSeen) {
                watch.requestsSeen = requests;
                watch.since = 0; // a request got through since the last sweep: a new one is timed afresh
            }
            if (!firstPending && !arriving) {
                watch.since = 0;
                continue;
            }
            if (watch.since == 0) {
                watch.since = now;
            }
            if (now - watch.since > timeoutNanos) {
                LOG.info("closing connection from {}: request not received within {} ms (parser state {})",
                        connection.getEndPoint().getRemoteSocketAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos),
                        state);
                open.remove(connection);
                connection.getEndPoint().close();
            }
        }
    }
}
