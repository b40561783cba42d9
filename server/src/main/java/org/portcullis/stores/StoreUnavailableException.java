package org.portcullis.stores;

/**
 * A store cannot be reached or cannot serve right now (HSM unplugged, out of sessions, PIN
 * rejected after a reset), while the secrets it holds are intact. The API answers 503 with the
 * message, so clients retry instead of treating it as a server bug.
 */
public class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
