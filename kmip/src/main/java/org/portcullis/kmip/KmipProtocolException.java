package org.portcullis.kmip;

/** Malformed TTLV, or a response that does not have the shape KMIP prescribes. */
public class KmipProtocolException extends KmipException {
    public KmipProtocolException(String message) {
        super(message, null);
    }
}
