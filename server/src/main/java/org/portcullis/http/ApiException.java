package org.portcullis.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request that cannot be served, with the status and the description a Barbican client shows
 * its user. Thrown from any layer; {@link ErrorBodies} turns it into {@code {code,title,description}}.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String description) {
        super(description);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String description() {
        return getMessage();
    }

    /** Adds a response header sent with the error (a 401's {@code WWW-Authenticate}); returns this. */
    public ApiException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return Collections.unmodifiableMap(headers);
    }

    public static ApiException badRequest(String description) {
        return new ApiException(400, description);
    }

    public static ApiException forbidden(String description) {
        return new ApiException(403, description);
    }

    public static ApiException notFound(String description) {
        return new ApiException(404, description);
    }

    public static ApiException conflict(String description) {
        return new ApiException(409, description);
    }
}
