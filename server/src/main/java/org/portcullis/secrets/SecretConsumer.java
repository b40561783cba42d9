package org.portcullis.secrets;

/** A service that declared it uses a secret (microversion 1.1), e.g. an image or a volume. */
public record SecretConsumer(String service, String resourceType, String resourceId) {}
