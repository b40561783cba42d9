package org.portcullis.stores;

/**
 * A store could not do what was asked. The message is for operators and says whether existing
 * secrets are at risk; {@code tampered} marks a payload that failed authentication.
 */
public class StoreException extends RuntimeException {
    private final boolean tampered;

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public StoreException(String message, Throwable cause, boolean tampered) {
        super(message, cause);
        this.tampered = tampered;
    }

    public boolean tampered() {
        return tampered;
    }
}
