package org.portcullis.auth.keystone;

/**
 * Keystone gave no usable answer. {@code credentials} is true when it answered but refused the
 * service user's login: a configuration problem the operator must fix, logged as an error.
 */
final class KeystoneUnavailableException extends RuntimeException {
    private final boolean credentials;

    KeystoneUnavailableException(String reason, boolean credentials) {
        super(reason);
        this.credentials = credentials;
    }

    boolean credentials() {
        return credentials;
    }
}
