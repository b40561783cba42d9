package org.portcullis.http;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import io.micrometer.core.instrument.MeterRegistry;
import org.portcullis.auth.Authenticator;
import org.portcullis.metrics.Metrics;
import org.portcullis.db.DatabaseUnavailable;
import org.portcullis.stores.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler: resolves the route, authenticates, negotiates the microversion, runs the
 * handler and writes its response or the Barbican-shaped error. Runs on a virtual thread per
 * request, so handlers simply block on the database and the secret stores.
 */
final class HttpApp extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApp.class);
    /** Headers every versioned answer carries, encoded once rather than per response. */
    private static final HttpField VARY_VERSION = new PreEncodedHttpField(HttpHeader.VARY, Microversion.HEADER);
    private static final HttpField DEFAULT_VERSION = new PreEncodedHttpField(Microversion.HEADER,
            Microversion.SERVICE + " " + Microversion.DEFAULT);

    private final Router router;
    private final Authenticator authenticator;
    private final String hostHref;
    private final boolean proxyHeaders;
    private final long maxBodyBytes;
    private final RateLimiter rateLimiter;
    private volatile AuditHook audit = AuditHook.NONE;
    private volatile RequestMetrics metrics = new RequestMetrics(Metrics.NONE);
    private volatile IdempotencyGuard idempotency = IdempotencyGuard.NONE;
    private volatile HandlerScope scope = HandlerScope.DIRECT;
    private volatile boolean draining;
    private final AtomicInteger unhealthyAnswers = new AtomicInteger();

    HttpApp(Router router, Authenticator authenticator, String hostHref, boolean proxyHeaders, long maxBodyBytes,
            RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
        this.proxyHeaders = proxyHeaders;
        this.router = router;
        this.authenticator = authenticator;
        this.hostHref = hostHref == null ? null : stripTrailingSlash(hostHref);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        String requestId = requestId();
        Exchange exchange = new Exchange(request, requestId, baseUrl(request), maxBodyBytes);
        boolean versioned = false;
        String route = RequestMetrics.UNMATCHED;
        String error = null;
        AccessLog.begin(requestId);
        try {
            List<String> segments = segments(request.getHttpURI().getPath());
            if (notReady(segments, exchange)) {
                write(exchange, response, callback, false);
                return true;
            }
            Router.Resolution resolution = router.resolve(request.getMethod(), segments);
            if (resolution.route() == null) {
                if (!resolution.allowed().isEmpty()) {
                    throw new ApiException(405, "Method " + request.getMethod() + " is not allowed on this resource.")
                            .withHeader("Allow", String.join(", ", resolution.allowed()));
                }
                throw ApiException.notFound("The resource could not be found.");
            }
            route = resolution.route().template();
            exchange.pathParams(resolution.params());
            Route matched = resolution.route();
            if (matched.authenticated()) {
                versioned = true;
                exchange.microversion(Microversion.fromHeader(exchange.header(Microversion.HEADER)));
                exchange.context(authenticator.authenticate(exchange));
                AccessLog.project(exchange.context().projectId());
                RateLimiter.check(rateLimiter, exchange.context().projectId(), exchange);
                audit.ready();
                // The idempotency key is claimed inside the request's transaction, with what it creates.
                scope.run(exchange, () -> handle(matched, exchange));
            } else {
                matched.handler().handle(exchange);
            }
            // Only now (its audit event and commit done) do the handler's headers join its answer:
            // a Location set for a creation that was then rolled back never goes out with the error.
            exchange.handlerSucceeded();
        } catch (ApiException e) {
            error = e.description();
            e.headers().forEach(exchange::answerHeader);
            exchange.json(e.status(), ErrorBodies.of(e.status(), e.description()));
            auditDenial(exchange, e);
        } catch (Exception | StackOverflowError e) {
            if (DatabaseUnavailable.causedBy(e)) {
                databaseUnavailable(exchange, e);
            } else if (e instanceof StoreException failed) {
                storeFailed(exchange, failed);
            } else {
                LOG.error("{} {} {} failed", requestId, request.getMethod(), request.getHttpURI().getPath(), e);
                exchange.json(500, ErrorBodies.of(500,
                        "The server could not complete the request; see its log for request " + requestId + "."));
            }
        }
        if (!exchange.drainBody() || draining) {
            // Draining: each connection closes after its answer, so the balancer opens its next one
            // to a node that stays.
            exchange.answerHeader("Connection", "close");
        }
        write(exchange, response, callback, versioned);
        long elapsed = System.nanoTime() - started;
        metrics.record(route, request.getMethod(), exchange.status(), elapsed);
        AccessLog.end(exchange, route, elapsed, error);
        return true;
    }

    /** {@code req-} and a random UUID, as Barbican's request ids ({@link ResourceIds#correlationId}). */
    static String requestId() {
        return "req-" + ResourceIds.correlationId();
    }

    /**
     * A backend that is down is a 503 with the store's message, which is written for this: what is
     * down, that no secret is lost, what to expect (never a credential). Anything else a store
     * refuses is a 500, with the detail in the log only.
     */
    private static void storeFailed(Exchange exchange, StoreException e) {
        if (e.unavailable()) {
            LOG.warn("{} {} {} -> 503 {}", exchange.requestId(), exchange.method(), exchange.path(), e.getMessage());
            exchange.json(503, ErrorBodies.of(503, "The secret store is temporarily unavailable: " + e.clientMessage()));
            return;
        }
        LOG.error("{} {} {} failed in the secret store{}", exchange.requestId(), exchange.method(), exchange.path(),
                e.tampered() ? " (integrity check failed)" : "", e);
        exchange.json(500, ErrorBodies.of(500, e.tampered()
                ? "The secret failed its integrity check and was not returned; see the server log for request "
                        + exchange.requestId() + "."
                : "The secret store could not complete the request; see the server log for request "
                        + exchange.requestId() + "."));
    }

    /**
     * Runs the handler; an authenticated POST goes past the idempotency guard first, which may
     * answer it with the first answer to its {@code Idempotency-Key}.
     */
    private void handle(Route route, Exchange exchange) throws Exception {
        if (!route.authenticated() || !exchange.method().equals("POST")) {
            route.handler().handle(exchange);
            return;
        }
        try {
            IdempotencyGuard.Answer first = idempotency.begin(exchange);
            if (first == null) {
                try {
                    route.handler().handle(exchange);
                    return;
                } catch (RuntimeException e) {
                    first = idempotency.raced(exchange, e);
                    if (first == null) {
                        throw e;
                    }
                }
            }
            String ref = exchange.baseUrl() + first.refPath();
            if (first.status() == 201) {
                exchange.responseHeader("Location", ref);
            }
            exchange.responseHeader("Idempotent-Replayed", "true");
            exchange.json(first.status(), Map.of(first.refName(), ref));
        } finally {
            idempotency.end();
        }
    }

    void idempotency(IdempotencyGuard guard) {
        this.idempotency = guard;
    }

    /** A database that cannot be reached is a 503 the client may retry, never a 500; one log line. */
    private static void databaseUnavailable(Exchange exchange, Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        LOG.warn("{} {} {} -> 503 database unreachable: {}", exchange.requestId(), exchange.method(), exchange.path(),
                root.toString());
        exchange.json(503, ErrorBodies.of(503, DatabaseUnavailable.MESSAGE));
    }

    /**
     * {@code /healthcheck} while draining: 503 before any check runs, so the balancer stops sending
     * traffic here. Counts these answers. (The database, stores and audit trail are checked by the
     * health resource itself.)
     */
    private boolean notReady(List<String> segments, Exchange exchange) {
        boolean read = exchange.method().equals("GET") || exchange.method().equals("HEAD");
        if (!draining || !read || segments.size() != 1 || !segments.get(0).equals("healthcheck")) {
            return false;
        }
        unhealthyAnswers.incrementAndGet();
        exchange.json(503, Map.of("status", "FAILING", "failed", List.of("node draining"),
                "detail", "this node is shutting down"));
        return true;
    }

    /** From now on {@code /healthcheck} answers 503 and every response closes its connection. */
    void startDraining() {
        draining = true;
    }

    /** How many 503s {@code /healthcheck} has answered since draining began. */
    int unhealthyAnswers() {
        return unhealthyAnswers.get();
    }

    void audit(AuditHook hook) {
        this.audit = hook;
    }

    void metrics(MeterRegistry registry) {
        this.metrics = new RequestMetrics(registry);
    }

    void scope(HandlerScope scope) {
        this.scope = scope;
    }

    /** 401 and 403 go to the audit trail; if it cannot take them, the answer is its 503. */
    private void auditDenial(Exchange exchange, ApiException e) {
        if (e.status() != 401 && e.status() != 403) {
            return;
        }
        try {
            audit.denied(exchange, e);
        } catch (ApiException failed) {
            exchange.json(failed.status(), ErrorBodies.of(failed.status(), failed.description()));
        }
    }

    private void write(Exchange exchange, Response response, Callback callback, boolean versioned) {
        response.setStatus(exchange.status());
        var headers = response.getHeaders();
        headers.put("x-openstack-request-id", exchange.requestId());
        if (versioned) {
            headers.put(exchange.microversion().equals(Microversion.DEFAULT) ? DEFAULT_VERSION
                    : new HttpField(Microversion.HEADER, Microversion.SERVICE + " " + exchange.microversion()));
            headers.put(VARY_VERSION);
        }
        exchange.responseHeaders().forEach(headers::put);
        byte[] body = exchange.responseBody();
        if (body == null) {
            headers.put(HttpHeader.CONTENT_LENGTH, 0L);
            response.write(true, null, callback);
            return;
        }
        headers.put(HttpHeader.CONTENT_TYPE, exchange.contentType());
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** host_href when set (as in Barbican), else the proxy's word when trusted, else the request's own URL. */
    private String baseUrl(Request request) {
        if (hostHref != null) {
            return hostHref;
        }
        ForwardedHeaders.Origin proxy = !proxyHeaders ? ForwardedHeaders.Origin.NONE : ForwardedHeaders.read(
                request.getHeaders().get("Forwarded"), request.getHeaders().get("X-Forwarded-Proto"),
                request.getHeaders().get("X-Forwarded-Host"), request.getHeaders().get("X-Forwarded-Prefix"));
        String scheme = proxy.scheme() != null ? proxy.scheme() : request.getHttpURI().getScheme();
        String prefix = proxy.prefix() == null ? "" : proxy.prefix();
        if (proxy.host() != null) {
            return scheme + "://" + proxy.host() + prefix;
        }
        String host = Request.getServerName(request);
        int port = Request.getServerPort(request);
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + host + (defaultPort || port <= 0 ? "" : ":" + port) + prefix;
    }

    static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        if (rawPath == null) {
            return out;
        }
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(URIUtil.decodePath(s));
            }
        }
        return out;
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
