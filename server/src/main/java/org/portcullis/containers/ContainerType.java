package org.portcullis.containers;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a container holds. Typed containers name their secrets with fixed reference names: the
 * required ones must all be there and no other name is allowed ({@code generic} takes any names).
 * {@code dsa} is what an asymmetric DSA order makes; clients cannot create one directly, as in
 * Barbican. The two refusals are worded as Barbican words them, odd spacing included, since
 * clients show them as they are.
 */
public enum ContainerType {
    GENERIC("generic", Set.of(), Set.of(), true, null, null),
    RSA("rsa", Set.of("public_key", "private_key"), Set.of("private_key_passphrase"), true,
            "only 'private_key', 'public_key' and 'private_key_passphrase' reference names are allowed for RSA type",
            "The minimum required reference names are 'public_key' and'private_key' for RSA type"),
    DSA("dsa", Set.of("public_key", "private_key"), Set.of("private_key_passphrase"), false,
            "only 'private_key', 'public_key' and 'private_key_passphrase' reference names are allowed for DSA type",
            "The minimum required reference names are 'public_key' and 'private_key' for DSA type"),
    CERTIFICATE("certificate", Set.of("certificate"), Set.of("private_key", "private_key_passphrase", "intermediates"),
            true,
            "only 'private_key', 'certificate' , 'private_key_passphrase',  or 'intermediates' reference names are "
                    + "allowed for Certificate type",
            "The minimum required reference name is 'certificate' for Certificate type");

    private final String apiName;
    private final Set<String> required;
    private final Set<String> optional;
    private final boolean creatableByClients;
    private final String unsupportedNames;
    private final String missingNames;

    ContainerType(String apiName, Set<String> required, Set<String> optional, boolean creatableByClients,
            String unsupportedNames, String missingNames) {
        this.apiName = apiName;
        this.required = required;
        this.optional = optional;
        this.creatableByClients = creatableByClients;
        this.unsupportedNames = unsupportedNames;
        this.missingNames = missingNames;
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

    /** Every name a typed container accepts. */
    Set<String> allowedNames() {
        Set<String> all = new LinkedHashSet<>(required);
        all.addAll(optional);
        return all;
    }

    /** Why a name outside {@link #allowedNames()} is refused. */
    String unsupportedNamesMessage() {
        return unsupportedNames;
    }

    /** Why a container without all {@link #requiredNames()} is refused. */
    String missingNamesMessage() {
        return missingNames;
    }

    /** The type with this API name, or null. */
    public static ContainerType fromApi(String name) {
        for (ContainerType t : values()) {
            if (t.apiName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
