package org.portcullis.stores.pkcs11;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes PKCS#11 failures readable. SunPKCS11 reports the library's return code only inside the
 * message of {@code sun.security.pkcs11.wrapper.PKCS11Exception}, a class the JDK does not
 * export, several causes down (a wrong PIN surfaces as {@code IOException <- UnrecoverableKey
 * <- FailedLogin <- PKCS11Exception: CKR_PIN_INCORRECT}); this walks the chain for the
 * {@code CKR_*} name and says what it means for the store and its secrets.
 */
public final class Pkcs11Errors {
    private static final Pattern CKR = Pattern.compile("CKR_[A-Z0-9_]+");

    private Pkcs11Errors() {}

    /** What a failure means for the store. */
    public enum Kind {
        /** The token is unreachable or out of resources: nothing is lost, calls fail until it returns. */
        UNAVAILABLE,
        /** The session lost its login (token reset, another application logged out): log in again. */
        LOGGED_OUT,
        /** The PIN was refused or is locked: nothing is lost, an operator must fix the PIN. */
        PIN,
        /** A key handle vanished, e.g. after a reset: reload the keys and retry. */
        STALE_HANDLE,
        /** Anything else the library reported. */
        OTHER
    }

    /** The first {@code CKR_*} name in the cause chain, if any. */
    public static Optional<String> returnCode(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            Matcher m = CKR.matcher(String.valueOf(c.getMessage()));
            if (m.find()) {
                return Optional.of(m.group());
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return Optional.empty();
    }

    public static Kind kind(Throwable t) {
        String code = returnCode(t).orElse("");
        return switch (code) {
            case "CKR_PIN_INCORRECT", "CKR_PIN_LOCKED", "CKR_PIN_EXPIRED", "CKR_PIN_INVALID", "CKR_PIN_LEN_RANGE" ->
                    Kind.PIN;
            case "CKR_USER_NOT_LOGGED_IN" -> Kind.LOGGED_OUT;
            case "CKR_OBJECT_HANDLE_INVALID", "CKR_KEY_HANDLE_INVALID", "CKR_SESSION_HANDLE_INVALID",
                    "CKR_SESSION_CLOSED" -> Kind.STALE_HANDLE;
            case "CKR_TOKEN_NOT_PRESENT", "CKR_TOKEN_NOT_RECOGNIZED", "CKR_DEVICE_REMOVED", "CKR_DEVICE_ERROR",
                    "CKR_DEVICE_MEMORY", "CKR_HOST_MEMORY", "CKR_SESSION_COUNT", "CKR_CRYPTOKI_NOT_INITIALIZED",
                    "CKR_GENERAL_ERROR", "CKR_FUNCTION_FAILED", "CKR_SLOT_ID_INVALID" -> Kind.UNAVAILABLE;
            default -> code.isEmpty() && (isLibraryMissing(t) || isTokenRemoved(t)) ? Kind.UNAVAILABLE : Kind.OTHER;
        };
    }

    /** An operator-facing explanation: what happened and what it means for existing secrets. */
    public static String explain(Throwable t) {
        String code = returnCode(t).orElse(null);
        if (code == null) {
            return isLibraryMissing(t) ? "the PKCS#11 library cannot be loaded (" + t.getMessage() + ")"
                    : isTokenRemoved(t) ? "the HSM token has been removed"
                    : "the HSM call failed (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
        }
        return switch (code) {
            case "CKR_PIN_INCORRECT" -> "the HSM refused the PIN (CKR_PIN_INCORRECT)";
            case "CKR_PIN_LOCKED" -> "the HSM has locked the PIN after failed logins (CKR_PIN_LOCKED)";
            case "CKR_TOKEN_NOT_PRESENT", "CKR_DEVICE_REMOVED" -> "the HSM token is not present (" + code + ")";
            case "CKR_TOKEN_NOT_RECOGNIZED" -> "the HSM token is not initialised or not recognised (" + code + ")";
            case "CKR_DEVICE_MEMORY", "CKR_HOST_MEMORY", "CKR_SESSION_COUNT" ->
                    "the HSM is out of sessions or memory (" + code + "); lower session_pool_size or add capacity";
            case "CKR_USER_NOT_LOGGED_IN" -> "the HSM session is no longer logged in (" + code + ")";
            default -> "the HSM reported " + code;
        };
    }

    /** SunPKCS11's own verdict after it saw the token go away (no CKR code). */
    private static boolean isTokenRemoved(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (String.valueOf(c.getMessage()).contains("Token has been removed")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLibraryMissing(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("does not exist") || m.contains("cannot open shared object") || c instanceof UnsatisfiedLinkError) {
                return true;
            }
        }
        return false;
    }
}
