package org.portcullis.kmip;

/**
 * The server could not be reached, did not answer in time, or closed the connection. Nothing on
 * the server was changed by this client as far as it can tell; retrying later is reasonable.
 */
public class KmipUnavailableException extends KmipException {
    public KmipUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
