package org.portcullis.health;

/**
 * One verdict of {@code manage doctor}: what was checked, PASS/WARN/FAIL, what was found and, when
 * it is not a PASS, the fix. {@code secretsAtRisk} marks a finding that puts existing secrets (not
 * only availability) at risk.
 */
public record Finding(String check, Status status, String message, String fix, boolean secretsAtRisk) {
    public enum Status { PASS, WARN, FAIL }

    public static Finding pass(String check, String message) {
        return new Finding(check, Status.PASS, message, null, false);
    }

    public static Finding warn(String check, String message, String fix) {
        return new Finding(check, Status.WARN, message, fix, false);
    }

    public static Finding fail(String check, String message, String fix) {
        return new Finding(check, Status.FAIL, message, fix, false);
    }

    /** A failure that endangers existing secrets. */
    public static Finding atRisk(String check, String message, String fix) {
        return new Finding(check, Status.FAIL, message, fix, true);
    }
}
