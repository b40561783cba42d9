package org.portcullis.secrets;

import java.util.Arrays;
import java.util.Locale;

/** Barbican's six secret types, spelled as the API spells them. */
public enum SecretType {
    SYMMETRIC, PASSPHRASE, PRIVATE, PUBLIC, CERTIFICATE, OPAQUE;

    // Computed once: a list names the type of every row it maps and of every secret it writes.
    private static final SecretType[] ALL = values();
    private final String apiName = name().toLowerCase(Locale.ROOT);

    public String apiName() {
        return apiName;
    }

    /** The type named exactly as the API spells it, or null. */
    public static SecretType fromApi(String name) {
        for (SecretType t : ALL) {
            if (t.apiName.equals(name)) {
                return t;
            }
        }
        return null;
    }

    public static String allowed() {
        return Arrays.stream(values()).map(SecretType::apiName).toList().toString();
    }
}
