package org.portcullis.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Barbican's error envelope: the status code, its title as Barbican's web framework (webob) words
 * it, and a description.
 */
public final class ErrorBodies {
    private ErrorBodies() {}

    public static Map<String, Object> of(int status, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("title", title(status));
        body.put("description", description);
        return body;
    }

    public static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 417 -> "Expectation Failed";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
