package org.portcullis.kmip;

/**
 * Base of every failure this client reports. Messages never contain key material or passwords.
 * Subclasses say what went wrong: {@link KmipUnavailableException} (the server could not be
 * reached or the connection broke), {@link KmipTlsException} (the TLS handshake was refused),
 * {@link KmipOperationException} (the server answered with a failed Result Status) and
 * {@link KmipProtocolException} (the bytes on the wire were not valid KMIP).
 */
public class KmipException extends RuntimeException {
    public KmipException(String message, Throwable cause) {
        super(message, cause);
    }
}
