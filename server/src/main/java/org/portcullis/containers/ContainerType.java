package org.portcullis.containers;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a container holds. Typed containers name their secrets with fixed reference names: the
 * required ones must all be there and no other name is allowed ({@code generic} takes any names).
 * {@code dsa} is what an asymmetric DSA order makes; clients cannot create one directly, as in
 * Barbican.
 */
public enum ContainerType {
    GENERIC("generic", Set.of(), Set.of(), true),
    RSA("rsa", Set.of("public_key", "private_key"), Set.of("private_key_passphrase"), true),
    DSA("dsa", Set.of("public_key", "private_key"), Set.of("private_key_passphrase"), false),
    CERTIFICATE("certificate", Set.of("certificate"),
            Set.of("private_key", "private_key_passphrase", "intermediates"), true);

    private final String apiName;
    private final Set<String> required;
    private final Set<String> optional;
    private final boolean creatableByClients;

    ContainerType(String apiName, Set<String> required, Set<String> optional, boolean creatableByClients) {
        this.apiName = apiName;
        this.required = required;
        this.optional = optional;
        this.creatableByClients = creatableByClients;
    }

    public String apiName() {
        return apiName;
    }

    boolean creatableByClients() {
        return creatableByClients;
    }

    /** Generic containers accept any reference names. */
    boolean restrictsNames() {
        return !required.isEmpty();
    }

    Set<String> requiredNames() {
        return required;
    }

    /** Every name a typed container accepts, required ones first. */
    Set<String> allowedNames() {
        Set<String> all = new LinkedHashSet<>(required);
        all.addAll(optional);
        return all;
    }

    /** The type with this API name, or null. */
    public static ContainerType fromApi(String name) {
        if (name == null) {
            return null;
        }
        for (ContainerType t : values()) {
            if (t.apiName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
