package org.portcullis.stores;

/**
 * A store cannot be reached or cannot serve right now (HSM unplugged, out of sessions, PIN
 * rejected after a reset), while the secrets it holds are intact. The API answers 503, so
 * clients retry instead of treating it as a server bug; the message goes to the operator's log.
 * The same as {@link StoreException#unavailable}, as a type stores can throw and catch.
 */
public class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, true);
    }
}
