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
    private final String clientMessage;

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public StoreException(String message, Throwable cause, boolean tampered) {
        this(message, cause, tampered, false);
    }

    protected StoreException(String message, Throwable cause, boolean tampered, boolean unavailable) {
        this(message, message, cause, tampered, unavailable);
    }

    private StoreException(String message, String clientMessage, Throwable cause, boolean tampered,
            boolean unavailable) {
        super(message, cause);
        this.clientMessage = clientMessage;
        this.tampered = tampered;
        this.unavailable = unavailable;
    }

    /** The backend is down or unreachable; no secret is lost. */
    public static StoreException unavailable(String message, Throwable cause) {
        return new StoreException(message, cause, false, true);
    }

    /**
     * As {@link #unavailable(String, Throwable)}, with a message for API clients that leaves out
     * what only operators should see (a backend's internal address).
     */
    public static StoreException unavailable(String message, String clientMessage, Throwable cause) {
        return new StoreException(message, clientMessage, cause, false, true);
    }

    /** What the API may tell the caller of an unavailable store; the full message goes to the log. */
    public String clientMessage() {
        return clientMessage;
    }

    public boolean tampered() {
        return tampered;
    }

    public boolean unavailable() {
        return unavailable;
    }
}
