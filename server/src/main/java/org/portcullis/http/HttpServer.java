package org.portcullis.http;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.portcullis.auth.Authenticator;
import org.portcullis.config.PortcullisConfig.HttpSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Jetty, bound to one address (HTTP or HTTPS), with request handling on virtual threads. */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final Server server;
    private final ServerConnector connector;
    private static final int UNHEALTHY_CHECKS_SEEN = 3;
    private final HttpSettings settings;
    private final HttpApp app;

    /** Plain HTTP with the default connection limits. */
    public HttpServer(String host, int port, Router router, Authenticator authenticator, String hostHref,
            long maxBodyBytes) {
        this(new HttpSettings(host, port), router, authenticator, hostHref, maxBodyBytes);
    }

    public HttpServer(HttpSettings settings, Router router, Authenticator authenticator, String hostHref,
            long maxBodyBytes) {
        this.settings = settings;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("http");
        threads.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(HttpServer::requestThread));
        server = new Server(threads);
        connector = ConnectorFactory.create(server, settings);
        server.addConnector(connector);
        RateLimiter limiter = settings.rateLimitPerProject() > 0
                ? new TokenBucketRateLimiter(settings.rateLimitPerProject(), settings.rateLimitBurst())
                : RateLimiter.UNLIMITED;
        app = new HttpApp(router, authenticator, hostHref, settings.proxyHeaders(), maxBodyBytes, limiter);
        // Graceful: on stop, requests already running finish (within the stop timeout) before
        // their connections close.
        server.setHandler(new GracefulHandler(app));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(5_000);
    }

    /**
     * A request's virtual thread, named as logback names an unnamed one ({@code virtual-<id>}), so
     * that log lines read the same: for a thread without a name, logback looked the name up by
     * reflection ({@code Thread.class.getMethod("isVirtual")} and its invoke) on every access line.
     */
    private static Thread requestThread(Runnable task) {
        Thread thread = Thread.ofVirtual().unstarted(task);
        thread.setName("virtual-" + thread.threadId());
        return thread;
    }

    /** What runs around each authenticated handler: the request's transaction. */
    public void scope(HandlerScope scope) {
        app.scope(scope);
    }

    /** Where denied requests are recorded and who says whether the audit trail can be written. */
    public void audit(AuditHook hook) {
        app.audit(hook);
    }

    /** Who answers a retried creating POST ({@code Idempotency-Key}). */
    public void idempotency(IdempotencyGuard guard) {
        app.idempotency(guard);
    }

    /**
     * The graceful half of SIGTERM: report unhealthy, keep serving until a balancer has seen it
     * or {@code announce} has passed, then stop accepting and let in-flight requests finish within
     * {@code drainTimeout}. Three unhealthy check answers prove a balancer with {@code fall 2} has
     * marked the node down: it sent the third check after acting on the second.
     */
    public void drain(Duration announce, Duration drainTimeout) throws Exception {
        app.startDraining();
        LOG.info("draining: /healthcheck answers 503; waiting for the balancer (at most {} s)", announce.toSeconds());
        long deadline = System.nanoTime() + announce.toNanos();
        while (app.unhealthyAnswers() < UNHEALTHY_CHECKS_SEEN && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        LOG.info("draining: no longer accepting connections; in-flight requests have {} s to finish",
                drainTimeout.toSeconds());
        // The connector's shutdown closes the listening socket at once and completes when every
        // open connection has answered what it was sent and closed (idle ones close after 1 s).
        try {
            connector.shutdown().get(Math.max(1, drainTimeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("draining: {} connection(s) still open after {} s; closing them",
                    connector.getConnectedEndPoints().size(), drainTimeout.toSeconds());
        }
        server.stop();
    }

    /** Where every request's route, method, status and latency are measured. */
    public void metrics(MeterRegistry registry) {
        app.metrics(registry);
    }

    public void start() throws Exception {
        if (settings.tls() == null && settings.allowInsecureHttp() && !settings.loopback()) {
            LOG.warn("serving plain HTTP on {} (allow_insecure_http = true): tokens and secrets cross the network "
                    + "in clear unless a TLS-terminating proxy is in front", settings.bindHost());
        }
        server.start();
    }

    /** The port actually bound (useful when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return settings.scheme();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
