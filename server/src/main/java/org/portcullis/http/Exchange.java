package org.portcullis.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.portcullis.auth.RequestContext;

/**
 * One HTTP request and the response being built for it. Handlers read the request through it and
 * set exactly one response; {@link HttpApp} writes that response once the handler returns.
 */
public final class Exchange {
    private final Request request;
    private final String requestId;
    private final String baseUrl;
    private final long maxBodyBytes;
    private Map<String, String> pathParams = Map.of();
    private Map<String, String> query;
    private RequestContext context;
    private Microversion microversion = Microversion.DEFAULT;
    private byte[] body;
    private boolean bodyAttempted;
    private ApiException bodyFailure;
    private java.util.function.Predicate<String> hiddenHeaders;

    /** How much of a body that is too large is read and dropped, and for how long, before the answer. */
    private static final long DISCARD_LIMIT_BYTES = 16L << 20;
    private static final long DISCARD_DEADLINE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private int status = 200;
    private String contentType;
    private byte[] responseBody;
    /**
     * The handler's headers (a creation's Location): kept apart from {@link #answerHeaders} until
     * the handler has succeeded (its audit event and commit included), so an error answer never
     * carries what a handler had set before it failed. Both are made on first use: most answers
     * have none.
     */
    private Map<String, String> handlerHeaders;
    private Map<String, String> answerHeaders;

    Exchange(Request request, String requestId, String baseUrl, long maxBodyBytes) {
        this.request = request;
        this.requestId = requestId;
        this.baseUrl = baseUrl;
        this.maxBodyBytes = maxBodyBytes;
    }

    // ---- request -------------------------------------------------------------------------

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return request.getHttpURI().getPath();
    }

    /** A request header's first value, or null; hidden headers read as absent. */
    public String header(String name) {
        if (hiddenHeaders != null && hiddenHeaders.test(name)) {
            return null;
        }
        return request.getHeaders().get(name);
    }

    /**
     * From now on, headers matching {@code which} (case-insensitive names) read as absent: the
     * auth layer strips identity headers a client sent, as keystonemiddleware does, so no later
     * code can take an identity from them.
     */
    public void hideHeaders(java.util.function.Predicate<String> which) {
        this.hiddenHeaders = which;
    }

    public String requestId() {
        return requestId;
    }

    /** Scheme, host and port that hrefs in responses start with (host_href, else the request's). */
    public String baseUrl() {
        return baseUrl;
    }

    public String remoteAddress() {
        return Request.getRemoteAddr(request);
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = params;
    }

    /** First value of a query parameter, or null. */
    public String query(String name) {
        return queryParams().get(name);
    }

    public Map<String, String> queryParams() {
        if (query == null) {
            query = parseQuery(request.getHttpURI().getQuery());
        }
        return query;
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(key, value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed query string.");
        }
    }

    public RequestContext context() {
        if (context == null) {
            throw new IllegalStateException("route is not authenticated");
        }
        return context;
    }

    /** The caller, or null when the request was refused before (or without) authentication. */
    public RequestContext contextOrNull() {
        return context;
    }

    void context(RequestContext context) {
        this.context = context;
    }

    public Microversion microversion() {
        return microversion;
    }

    void microversion(Microversion microversion) {
        this.microversion = microversion;
    }

    /** The request body, refused with 413 beyond the configured maximum. */
    public byte[] body() {
        if (body == null) {
            if (bodyFailure != null) {
                throw bodyFailure;
            }
            bodyAttempted = true;
            try {
                if (request.getLength() > maxBodyBytes) {
                    throw new BodyReader.TooLarge();
                }
                body = BodyReader.read(request, maxBodyBytes);
            } catch (BodyReader.TooLarge e) {
                bodyFailure = new ApiException(413,
                        "The request body is larger than the maximum of " + maxBodyBytes + " bytes.");
                throw bodyFailure;
            } catch (IOException e) {
                bodyFailure = ApiException.badRequest("Could not read the request body.");
                throw bodyFailure;
            }
        }
        return body;
    }

    /**
     * Reads and drops a body the handler never read (it answered first: 403, 404, 415…) or that
     * was too large, so a client still sending receives the answer instead of a reset, and the
     * connection can carry its next request: Jetty would otherwise close a connection with unread
     * content, and a client still writing to it sees the reset, not the answer. A body beyond
     * {@link #DISCARD_LIMIT_BYTES} or not finished within {@link #DISCARD_DEADLINE_NANOS} is not
     * waited for. False when the connection must be closed.
     */
    boolean drainBody() {
        if (body != null) {
            return true;
        }
        if (request.getLength() > maxBodyBytes && "100-continue".equalsIgnoreCase(request.getHeaders().get("Expect"))) {
            return false; // the client sends nothing until it hears "100 Continue": no need to hear it out
        }
        if (!bodyAttempted) {
            try {
                body();
                return true;
            } catch (ApiException e) {
                // too large or unreadable: drop what is left
            }
        }
        return BodyReader.discard(request, DISCARD_LIMIT_BYTES, System.nanoTime() + DISCARD_DEADLINE_NANOS);
    }

    /** The media type of the request body without parameters, lower case, or null. */
    public String requestMediaType() {
        String ct = header("Content-Type");
        if (ct == null) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** The body as JSON; like Barbican, a body declared as anything but JSON is a 415. */
    public JsonNode jsonBody() {
        String mediaType = requestMediaType();
        if (mediaType != null && !mediaType.equals("application/json")) {
            throw new ApiException(415, "Unsupported Content-Type '" + header("Content-Type")
                    + "'; this request takes application/json.");
        }
        return Json.parse(body());
    }

    // ---- response ------------------------------------------------------------------------

    public void json(int status, Object value) {
        this.status = status;
        this.contentType = "application/json";
        this.responseBody = Json.write(value);
    }

    public void bytes(int status, String contentType, byte[] content) {
        this.status = status;
        this.contentType = contentType;
        this.responseBody = content;
    }

    public void noContent() {
        this.status = 204;
        this.contentType = null;
        this.responseBody = null;
    }

    /** A header of the handler's answer; sent only if the handler succeeds ({@link #handlerSucceeded}). */
    public void responseHeader(String name, String value) {
        if (handlerHeaders == null) {
            handlerHeaders = new LinkedHashMap<>();
        }
        handlerHeaders.put(name, value);
    }

    /** A header of whatever answer goes out, success or error (an error's own, Connection: close). */
    void answerHeader(String name, String value) {
        if (answerHeaders == null) {
            answerHeaders = new LinkedHashMap<>();
        }
        answerHeaders.put(name, value);
    }

    /** The handler and everything around it succeeded: its headers go out with its answer. */
    void handlerSucceeded() {
        if (handlerHeaders != null) {
            handlerHeaders.forEach(this::answerHeader);
            handlerHeaders = null;
        }
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    byte[] responseBody() {
        return responseBody;
    }

    /** The headers that go out: the answer's own and, once it succeeded, the handler's. */
    Map<String, String> responseHeaders() {
        return answerHeaders == null ? Map.of() : answerHeaders;
    }
}
