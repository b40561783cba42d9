package org.portcullis.containers;

/**
 * A body of {@code POST/DELETE /v1/containers/{id}/secrets}: a reference name (may be null) and
 * a secret ref, with the secret id taken from it.
 */
record SecretRefRequest(String name, String secretRef, String secretId) {}
