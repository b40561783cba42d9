package org.portcullis.http;

/**
 * A request that cannot be served, with the status and the description a Barbican client shows
 * its user. Thrown from any layer; {@link ErrorBodies} turns it into {@code {code,title,description}}.
 */
public class ApiException extends RuntimeException {
    private final int status;

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
