package org.portcullis.stores;

/**
 * A store could not do what was asked. The message is for operators and says whether existing
 * secrets are at risk; {@code tampered} marks a payload that failed authentication, and
 * {@code unavailable} a backend that is down for now (unreachable, sealed, refusing our
 * credentials) with nothing lost, which the API reports as 503 rather than 500.
 */
public class StoreException extends RuntimeException {
    private final boolean tampered;
    private final boolean unavailable;

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public StoreException(String message, Throwable cause, boolean tampered) {
        this(message, cause, tampered, false);
    }

    private StoreException(String message, Throwable cause, boolean tampered, boolean unavailable) {
        super(message, cause);
        this.tampered = tampered;
        this.unavailable = unavailable;
    }

    /** The backend is down for now; existing secrets are intact and reads work again when it returns. */
    public static StoreException unavailable(String message, Throwable cause) {
        return new StoreException(message, cause, false, true);
    }

    public boolean tampered() {
        return tampered;
    }

    public boolean unavailable() {
        return unavailable;
    }
}
