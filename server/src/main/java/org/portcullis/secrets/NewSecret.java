package org.portcullis.secrets;

/**
 * A validated request to create a secret. {@code payload} holds the decoded bytes (null for a
 * metadata-only secret that gets its payload by a later PUT).
 */
public record NewSecret(
        String name,
        SecretType secretType,
        String algorithm,
        Integer bitLength,
        String mode,
        Long expiration,
        byte[] payload,
        String contentType) {

    /** The same request with another payload (the one a transport envelope carried). */
    public NewSecret withPayload(byte[] unwrapped) {
        return new NewSecret(name, secretType, algorithm, bitLength, mode, expiration, unwrapped, contentType);
    }
}
