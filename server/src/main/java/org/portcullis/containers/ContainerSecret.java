package org.portcullis.containers;

/** One secret in a container, under its reference name (null when the client gave none). */
public record ContainerSecret(String name, String secretId) {}
