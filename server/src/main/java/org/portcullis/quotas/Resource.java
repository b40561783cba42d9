package org.portcullis.quotas;

/**
 * What a project quota limits, by Barbican's quota name. {@link #CAS} is a quota Barbican keeps
 * (and reports) but Portcullis has no certificate authorities, so nothing ever checks it.
 */
public enum Resource {
    SECRETS("secrets", "Secret creation"),
    ORDERS("orders", "Order creation"),
    CONTAINERS("containers", "Container creation"),
    /** Barbican limits container consumers and secret consumers each against this one quota. */
    CONSUMERS("consumers", "Consumer creation"),
    CAS("cas", "Certificate Authority creation");

    private final String apiName;
    private final String operation;

    Resource(String apiName, String operation) {
        this.apiName = apiName;
        this.operation = operation;
    }

    /** The key in quota JSON bodies and the column in {@code project_quotas}. */
    public String apiName() {
        return apiName;
    }

    /** How Barbican names the creation in the 403 ("Secret creation issue seen - …"). */
    public String operation() {
        return operation;
    }

    /** The resource with this quota name, or null. */
    public static Resource fromApi(String name) {
        for (Resource r : values()) {
            if (r.apiName.equals(name)) {
                return r;
            }
        }
        return null;
    }
}
