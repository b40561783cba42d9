package org.portcullis.crypto;

import java.nio.charset.StandardCharsets;

/**
 * Associated data as length-prefixed UTF-8 fields after a purpose label, so that no two distinct
 * field lists encode to the same bytes ("ab","c" and "a","bc" differ).
 */
public final class AssociatedData {
    private AssociatedData() {}

    /**
     * Written straight into an array of the exact size: every payload read and write builds one,
     * and a growing stream cost a buffer and a copy on top of the result.
     */
    public static byte[] of(String purpose, String... fields) {
        byte[] label = purpose.getBytes(StandardCharsets.UTF_8);
        byte[][] encoded = new byte[fields.length][];
        int size = 2 + label.length;
        for (int i = 0; i < fields.length; i++) {
            encoded[i] = fields[i].getBytes(StandardCharsets.UTF_8);
            size += 2 + encoded[i].length;
        }
        byte[] out = new byte[size];
        int at = put(out, 0, label);
        for (byte[] field : encoded) {
            at = put(out, at, field);
        }
        return out;
    }

    /** A field's length (two bytes, big-endian, as a stream's two single-byte writes put it) and its bytes. */
    private static int put(byte[] out, int at, byte[] field) {
        out[at] = (byte) (field.length >>> 8);
        out[at + 1] = (byte) field.length;
        System.arraycopy(field, 0, out, at + 2, field.length);
        return at + 2 + field.length;
    }
}
