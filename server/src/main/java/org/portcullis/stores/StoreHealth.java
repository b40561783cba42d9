package org.portcullis.stores;

/**
 * The outcome of a round trip through a store. {@code secretsAtRisk} says whether a failure
 * endangers existing secrets (a wrong KEK does) or only availability (an unreachable HSM).
 */
public record StoreHealth(boolean ok, String detail, boolean secretsAtRisk, long elapsedMicros) {
    public static StoreHealth healthy(String detail, long elapsedMicros) {
        return new StoreHealth(true, detail, false, elapsedMicros);
    }
}
