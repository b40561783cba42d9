package org.portcullis.secrets;

import java.util.Arrays;
import java.util.Locale;

/** Barbican's six secret types, spelled as the API spells them. */
public enum SecretType {
    SYMMETRIC, PASSPHRASE, PRIVATE, PUBLIC, CERTIFICATE, OPAQUE;

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named exactly as the API spells it, or null. */
    public static SecretType fromApi(String name) {
        return Arrays.stream(values()).filter(t -> t.apiName().equals(name)).findFirst().orElse(null);
    }

    public static String allowed() {
        return Arrays.stream(values()).map(SecretType::apiName).toList().toString();
    }
}
