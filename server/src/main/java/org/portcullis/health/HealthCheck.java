package org.portcullis.health;

/**
 * One part of the node that {@code /healthcheck} looks at on every call (a store, the database, the
 * audit trail, whether the node is draining). A component contributes by implementing this and
 * being added to {@link HealthResource}; the health package knows none of them.
 */
public interface HealthCheck {
    /** What kind of part: {@code store}, {@code database}, {@code audit}, … */
    String kind();

    /** Which one, e.g. the store's name. */
    String name();

    /** Looks now; must answer within a few seconds and must not throw. */
    Verdict check();

    /**
     * @param secretsAtRisk whether the failure endangers existing secrets (a wrong KEK does) or only
     *     availability (an unreachable database or HSM)
     */
    record Verdict(boolean ok, String detail, boolean secretsAtRisk, long elapsedMicros) {
        public static Verdict healthy(String detail, long elapsedMicros) {
            return new Verdict(true, detail, false, elapsedMicros);
        }

        public static Verdict failing(String detail, boolean secretsAtRisk, long elapsedMicros) {
            return new Verdict(false, detail, secretsAtRisk, elapsedMicros);
        }
    }
}
