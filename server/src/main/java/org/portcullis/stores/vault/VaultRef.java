package org.portcullis.stores.vault;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.portcullis.stores.StoredRef;

/**
 * Where a payload lives in Vault; what the secret's row keeps. Its own mount, path and KV
 * version travel with it, so changing {@code kv_mountpoint}, {@code kv_path} or
 * {@code kv_version} later does not strand secrets written before.
 *
 * <p>Format, version 1: {@code 0x01 | kv version (1 byte: 1 or 2) | entry version (4 bytes,
 * big-endian; 0 for KV v1, at least 1 for KV v2) | mount length (1 byte) | mount (UTF-8) | path
 * (UTF-8, relative to the mount)}. A ref that does not parse, or names a path that is not a
 * plain Vault path, is refused before anything is sent to Vault.
 */
record VaultRef(int kvVersion, long entryVersion, String mount, String path) {
    static final byte FORMAT = 1;
    private static final String PATH = "[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*";

    VaultRef {
        if (kvVersion != 1 && kvVersion != 2) {
            throw new IllegalArgumentException("KV version " + kvVersion);
        }
        if (kvVersion == 2 ? entryVersion < 1 || entryVersion > 0xFFFF_FFFFL : entryVersion != 0) {
            throw new IllegalArgumentException("entry version " + entryVersion + " for KV v" + kvVersion);
        }
        if (!mount.matches(PATH) || !path.matches(PATH) || mount.length() > 255) {
            throw new IllegalArgumentException("not a plain Vault path");
        }
    }

    /** The last path segment: the secret id the entry was written for. */
    String leaf() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    StoredRef encode() {
        byte[] m = mount.getBytes(StandardCharsets.UTF_8);
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        return new StoredRef(ByteBuffer.allocate(7 + m.length + p.length).put(FORMAT).put((byte) kvVersion)
                .putInt((int) entryVersion).put((byte) m.length).put(m).put(p).array());
    }

    /** @throws IllegalArgumentException when the bytes are not a version-1 Vault ref */
    static VaultRef decode(StoredRef ref) {
        ByteBuffer b = ByteBuffer.wrap(ref.bytes());
        if (b.remaining() < 9 || b.get() != FORMAT) {
            throw new IllegalArgumentException("not a Vault ref of format " + FORMAT);
        }
        int kv = b.get();
        long version = Integer.toUnsignedLong(b.getInt());
        int mountLength = Byte.toUnsignedInt(b.get());
        if (mountLength == 0 || mountLength >= b.remaining()) {
            throw new IllegalArgumentException("truncated Vault ref");
        }
        byte[] m = new byte[mountLength];
        b.get(m);
        byte[] p = new byte[b.remaining()];
        b.get(p);
        return new VaultRef(kv, version, new String(m, StandardCharsets.UTF_8), new String(p, StandardCharsets.UTF_8));
    }
}
