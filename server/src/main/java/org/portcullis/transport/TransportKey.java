package org.portcullis.transport;

/** A transport key: a public key (usually a PEM certificate) a store plugin offers for wrapping. */
public record TransportKey(String id, String pluginName, String transportKey, long createdAt, long updatedAt) {}
