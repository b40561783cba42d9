package org.portcullis.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers before a request reaches {@link HttpApp} (headers over the limit: 431, a
 * malformed request line: 400, ...) in Barbican's {@code {code, title, description}} shape, so a
 * client parses them like any other error, whatever the method (Jetty writes no body for a PUT or
 * DELETE by default). Jetty's own message is not echoed: it may quote the request.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    /** @param message Jetty's reason, only looked at, never shown */
    static byte[] body(int status, String message) {
        String description = switch (status) {
            case 400 -> message != null && message.startsWith("Ambiguous URI")
                    ? "The request path is ambiguous: an empty segment ('//'), or an encoded '/', '\\' or '..' "
                            + "in a segment; no Barbican path has one."
                    : "The request could not be parsed as HTTP.";
            case 431 -> "The request headers are larger than this server accepts.";
            case 408 -> "The request was not received in time.";
            default -> {
                String reason = HttpStatus.getMessage(status);
                yield reason == null ? "The request could not be processed." : reason + ".";
            }
        };
        return Json.write(ErrorBodies.of(status, description));
    }
}
