package org.portcullis.crypto;

/**
 * Bytes that do not start like any version of the format a reader expects: written by a newer
 * Portcullis, by another program, or altered. The caller says which row it came from.
 */
public final class UnknownFormatException extends RuntimeException {
    public UnknownFormatException(String message) {
        super(message);
    }
}
