package org.portcullis.stores;

import java.util.Arrays;

/** The bytes a store needs back to return a payload: a ciphertext or an external reference. */
public record StoredRef(byte[] bytes) {
    public StoredRef {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredRef other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "StoredRef[" + bytes.length + " bytes]";
    }
}
