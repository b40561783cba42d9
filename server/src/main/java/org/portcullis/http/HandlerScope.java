package org.portcullis.http;

/**
 * What runs around each authenticated request's handler (after authentication and the audit
 * trail's readiness check): the node puts the request's database transaction here, so that what a
 * handler changes is committed only once the handler — and the audit event it writes — succeeded.
 */
@FunctionalInterface
public interface HandlerScope {
    HandlerScope DIRECT = (exchange, body) -> body.run();

    /** The handler, as a body to run. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    void run(Exchange exchange, Body body) throws Exception;
}
