package org.portcullis.secrets;

import org.portcullis.stores.StoredRef;

/**
 * A secret's row. {@code stored} is what its store needs to return the payload (null for a
 * secret whose payload has not been supplied yet); {@code contentType} is the normalised type the
 * payload was given in.
 */
public record Secret(
        String id,
        String projectId,
        String creatorId,
        String name,
        SecretType secretType,
        String algorithm,
        Integer bitLength,
        String mode,
        Long expiration,
        String status,
        String storeId,
        String contentType,
        StoredRef stored,
        long createdAt,
        long updatedAt) {

    public boolean hasPayload() {
        return stored != null;
    }

    public boolean expiredAt(long now) {
        return expiration != null && expiration <= now;
    }
}
