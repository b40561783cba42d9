package org.portcullis.http;

/**
 * What {@link HttpApp} needs for {@code Idempotency-Key} on creating POSTs (implemented by
 * {@code org.portcullis.idempotency.IdempotencyKeys}; the HTTP layer does not depend on it).
 */
public interface IdempotencyGuard {
    IdempotencyGuard NONE = new IdempotencyGuard() {
        @Override
        public Answer begin(Exchange exchange) {
            return null;
        }

        @Override
        public Answer raced(Exchange exchange, RuntimeException failure) {
            return null;
        }

        @Override
        public void end() {}
    };

    /** The first answer to a key: its status and the one ref its body holds. */
    record Answer(int status, String refName, String refPath) {}

    /**
     * Before the handler runs: the answer a retry gets back, or null to run the handler (which then
     * records the key in its own transaction). A 422 {@link ApiException} for the same key with
     * another request.
     */
    Answer begin(Exchange exchange);

    /** The handler failed: the first answer when another request took its key meanwhile, else null. */
    Answer raced(Exchange exchange, RuntimeException failure);

    /** After the request, whatever happened. */
    void end();
}
