package org.portcullis.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Associated data as length-prefixed UTF-8 fields after a purpose label, so that no two distinct
 * field lists encode to the same bytes ("ab","c" and "a","bc" differ).
 */
public final class AssociatedData {
    private AssociatedData() {}

    public static byte[] of(String purpose, String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        write(out, purpose);
        for (String field : fields) {
            write(out, field);
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String field) {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >>> 8);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }
}
