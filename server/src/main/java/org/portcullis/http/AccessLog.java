package org.portcullis.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One line per request on logger {@code org.portcullis.access} (INFO; set that logger to WARN in
 * a policy of your own to silence it): request id, method, path, status, duration and, for an
 * error, its description. The path never includes the query string (it can carry secret names),
 * and nothing of a body or a header is logged. While a request is handled, its id and project are
 * in the MDC, so every line logged for it carries them ({@code log_format = json}).
 */
final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("org.portcullis.access");
    static final String REQUEST_ID = "request_id";
    static final String PROJECT = "project";

    private AccessLog() {}

    static void begin(String requestId) {
        MDC.put(REQUEST_ID, requestId);
    }

    static void project(String projectId) {
        if (projectId != null) {
            MDC.put(PROJECT, projectId);
        }
    }

    static void end(Exchange exchange, String route, long nanos, String error) {
        try {
            if (LOG.isInfoEnabled()) {
                long ms = nanos / 1_000_000;
                // The line is made here, not from a "{}" pattern: SLF4J's formatter builds a map
                // and scans the pattern for every request's line.
                LOG.atInfo().addKeyValue("route", route).addKeyValue("method", exchange.method())
                        .addKeyValue("status", exchange.status()).addKeyValue("duration_ms", ms)
                        .log(exchange.requestId() + " " + exchange.method() + " " + exchange.path() + " -> "
                                + exchange.status() + " in " + ms + " ms" + (error == null ? "" : ": " + error));
            }
        } finally {
            MDC.remove(REQUEST_ID);
            MDC.remove(PROJECT);
        }
    }
}
