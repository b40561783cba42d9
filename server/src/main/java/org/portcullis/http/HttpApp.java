package org.portcullis.http;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.portcullis.auth.Authenticator;
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

    private final Router router;
    private final Authenticator authenticator;
    private final String hostHref;
    private final long maxBodyBytes;
    private final RateLimiter rateLimiter;
    private volatile AuditHook audit = AuditHook.NONE;
    private volatile HandlerScope scope = HandlerScope.DIRECT;

    HttpApp(Router router, Authenticator authenticator, String hostHref, long maxBodyBytes, RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
        this.router = router;
        this.authenticator = authenticator;
        this.hostHref = hostHref == null ? null : stripTrailingSlash(hostHref);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String requestId = "req-" + UUID.randomUUID();
        Exchange exchange = new Exchange(request, requestId, baseUrl(request), maxBodyBytes);
        boolean versioned = false;
        try {
            List<String> segments = segments(request.getHttpURI().getPath());
            Router.Resolution resolution = router.resolve(request.getMethod(), segments);
            if (resolution.route() == null) {
                if (!resolution.allowed().isEmpty()) {
                    exchange.responseHeader("Allow", String.join(", ", resolution.allowed()));
                    throw new ApiException(405, "Method " + request.getMethod() + " is not allowed on this resource.");
                }
                throw ApiException.notFound("The resource could not be found.");
            }
            exchange.pathParams(resolution.params());
            if (resolution.route().authenticated()) {
                versioned = true;
                exchange.microversion(Microversion.fromHeader(exchange.header(Microversion.HEADER)));
                exchange.context(authenticator.authenticate(exchange));
                RateLimiter.check(rateLimiter, exchange.context().projectId(), exchange);
                audit.ready();
                Route.Handler handler = resolution.route().handler();
                scope.run(exchange, () -> handler.handle(exchange));
            } else {
                resolution.route().handler().handle(exchange);
            }
        } catch (ApiException e) {
            logRejected(exchange, e);
            e.headers().forEach(exchange::responseHeader);
            exchange.json(e.status(), ErrorBodies.of(e.status(), e.description()));
            auditDenial(exchange, e);
        } catch (StoreException e) {
            storeFailed(exchange, e);
        } catch (Exception | StackOverflowError e) {
            LOG.error("{} {} {} failed", requestId, request.getMethod(), request.getHttpURI().getPath(), e);
            exchange.json(500, ErrorBodies.of(500,
                    "The server could not complete the request; see its log for request " + requestId + "."));
        }
        if (!exchange.drainBody()) {
            exchange.responseHeader("Connection", "close");
        }
        write(exchange, response, callback, versioned);
        return true;
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

    void audit(AuditHook hook) {
        this.audit = hook;
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

    private static void logRejected(Exchange exchange, ApiException e) {
        if (LOG.isInfoEnabled()) {
            LOG.info("{} {} {} -> {} {}", exchange.requestId(), exchange.method(), exchange.path(), e.status(),
                    e.description());
        }
    }

    private void write(Exchange exchange, Response response, Callback callback, boolean versioned) {
        response.setStatus(exchange.status());
        var headers = response.getHeaders();
        headers.put("x-openstack-request-id", exchange.requestId());
        if (versioned) {
            headers.put(Microversion.HEADER, Microversion.SERVICE + " " + exchange.microversion());
            headers.put(HttpHeader.VARY, Microversion.HEADER);
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

    private String baseUrl(Request request) {
        if (hostHref != null) {
            return hostHref;
        }
        String scheme = request.getHttpURI().getScheme();
        String host = Request.getServerName(request);
        int port = Request.getServerPort(request);
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + host + (defaultPort || port <= 0 ? "" : ":" + port);
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
