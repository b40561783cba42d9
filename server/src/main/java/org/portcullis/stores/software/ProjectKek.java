package org.portcullis.stores.software;

import org.portcullis.crypto.Aead;

/** An unwrapped project KEK: the key that seals one project's payloads in one store. */
record ProjectKek(String id, String projectId, Aead aead) {}
