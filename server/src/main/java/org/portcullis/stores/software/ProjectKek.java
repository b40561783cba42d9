package org.portcullis.stores.software;

import javax.crypto.SecretKey;

/** An unwrapped project KEK: the key that seals one project's payloads in one store. */
record ProjectKek(String id, String projectId, SecretKey key) {}
