package org.portcullis.http;

import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
    private final HttpSettings settings;

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
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        connector = ConnectorFactory.create(server, settings);
        server.addConnector(connector);
        RateLimiter limiter = settings.rateLimitPerProject() > 0
                ? new TokenBucketRateLimiter(settings.rateLimitPerProject(), settings.rateLimitBurst())
                : RateLimiter.UNLIMITED;
        server.setHandler(new HttpApp(router, authenticator, hostHref, maxBodyBytes, limiter));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(5_000);
    }

    /** What runs around each authenticated handler: the request's transaction. */
    public void scope(HandlerScope scope) {
        ((HttpApp) server.getHandler()).scope(scope);
    }

    /** Where denied requests are recorded and who says whether the audit trail can be written. */
    public void audit(AuditHook hook) {
        ((HttpApp) server.getHandler()).audit(hook);
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
