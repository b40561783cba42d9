package org.portcullis.stores;

/** A configured store as the secret-stores API shows it. */
public record StoreInfo(String id, String name, String storePlugin, String cryptoPlugin, boolean globalDefault,
        long createdAt, long updatedAt) {}
