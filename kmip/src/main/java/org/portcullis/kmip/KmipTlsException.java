package org.portcullis.kmip;

/**
 * The TLS handshake failed: the server's certificate is not trusted by the configured CA, the
 * host name does not match, or the server refused the client certificate. A configuration
 * problem on one side, not an outage, so it is reported apart from {@link KmipUnavailableException}.
 */
public class KmipTlsException extends KmipException {
    public KmipTlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
