package org.portcullis.stores;

/**
 * What a stored payload is bound to. Software and HSM stores use it as AES-GCM associated data,
 * so a ciphertext copied into another secret's, project's or store's row fails to open.
 */
public record SecretBinding(String secretId, String projectId, String storeId) {}
