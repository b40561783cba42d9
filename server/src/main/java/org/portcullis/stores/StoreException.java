package org.portcullis.stores;

/**
 * A store could not do what was asked. The message is for operators and says whether existing
 * secrets are at risk. {@code tampered} marks a payload that failed authentication;
 * {@code unavailable} marks a backend that is down or unreachable (an HSM, a KMIP server, Vault):
 * nothing is lost, and the request may succeed when it returns, so the API answers 503.
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

    /** The backend is down or unreachable; no secret is lost. */
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
