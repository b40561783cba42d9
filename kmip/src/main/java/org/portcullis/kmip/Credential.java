package org.portcullis.kmip;

/**
 * A Username and Password credential (Credential Type 1), sent in every request header's
 * Authentication when configured. {@code toString} never shows the password.
 */
public record Credential(String username, String password) {
    public Credential {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("a KMIP credential needs a username");
        }
    }

    Ttlv encode() {
        Ttlv value = password == null
                ? Ttlv.structure(Tags.CREDENTIAL_VALUE, Ttlv.text(Tags.USERNAME, username))
                : Ttlv.structure(Tags.CREDENTIAL_VALUE, Ttlv.text(Tags.USERNAME, username),
                        Ttlv.text(Tags.PASSWORD, password));
        return Ttlv.structure(Tags.AUTHENTICATION, Ttlv.structure(Tags.CREDENTIAL,
                Ttlv.enumeration(Tags.CREDENTIAL_TYPE, Kmip.CredentialType.USERNAME_AND_PASSWORD), value));
    }

    @Override
    public String toString() {
        return "Credential[username=" + username + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
