package org.portcullis.stores.pkcs11;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a token's slot by label or serial number. SunPKCS11 selects a token only by slot id or
 * slot list index, and SoftHSM2 gives each initialised token a random slot id, so Barbican's
 * {@code token_labels} / {@code token_serial_number} need a lookup: C_GetSlotList and
 * C_GetTokenInfo through the JDK's own PKCS#11 wrapper ({@code sun.security.pkcs11.wrapper},
 * the one SunPKCS11 uses, shared per library so C_Initialize still runs once).
 *
 * <p>That package is not exported: the lookup needs {@code --add-exports
 * jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED}, which the server jar's manifest
 * ({@code Add-Exports}) and the test JVMs carry. It is reached by reflection because code
 * compiled with {@code --release} cannot name a non-exported JDK package. Without the export,
 * a clear error asks for {@code slot_id} instead.
 */
final class TokenDirectory {
    static final String EXPORT = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";
    private static final long CKF_OS_LOCKING_OK = 0x00000002L;

    /** One token as the library lists it. */
    record TokenEntry(long slotId, String label, String serialNumber) {}

    private TokenDirectory() {}

    /** The tokens present in the library's slots. */
    static List<TokenEntry> list(Path library) throws ReflectiveOperationException {
        Class<?> pkcs11 = Class.forName("sun.security.pkcs11.wrapper.PKCS11");
        Class<?> initArgsClass = Class.forName("sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS");
        Object initArgs = initArgsClass.getConstructor().newInstance();
        initArgsClass.getField("flags").setLong(initArgs, CKF_OS_LOCKING_OK); // as SunPKCS11 asks first
        Method getInstance = pkcs11.getMethod("getInstance", String.class, String.class, initArgsClass, boolean.class);
        Object p11 = getInstance.invoke(null, library.toString(), "C_GetFunctionList", initArgs, false);
        long[] slots = (long[]) pkcs11.getMethod("C_GetSlotList", boolean.class).invoke(p11, true);
        Method tokenInfo = pkcs11.getMethod("C_GetTokenInfo", long.class);
        List<TokenEntry> tokens = new ArrayList<>();
        for (long slot : slots) {
            try {
                Object info = tokenInfo.invoke(p11, slot);
                tokens.add(new TokenEntry(slot, text(info, "label"), text(info, "serialNumber")));
            } catch (InvocationTargetException broken) {
                // A token that cannot describe itself (removed, damaged) must not hide the others.
            }
        }
        return tokens;
    }

    /** The slot holding the configured token, or a message saying what was found instead. */
    static long resolve(Pkcs11Settings s) {
        if (s.tokenLabels().isEmpty() && s.tokenSerial() == null) {
            return s.slotId();
        }
        List<TokenEntry> tokens;
        try {
            tokens = list(s.library());
        } catch (IllegalAccessException | java.lang.reflect.InaccessibleObjectException e) {
            throw new LookupFailed("finding a token by label or serial number needs the JVM option " + EXPORT
                    + " (the portcullis launcher and server jar set it); or set slot_id instead", e);
        } catch (InvocationTargetException e) {
            throw new LookupFailed("listing the tokens of " + s.library() + " failed: "
                    + Pkcs11Errors.explain(e.getCause()), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new LookupFailed("this JDK's PKCS#11 wrapper is not the expected one (" + e + "); set slot_id "
                    + "instead of token_label", e);
        }
        for (String label : s.tokenLabels()) {
            for (TokenEntry t : tokens) {
                if (t.label().equals(label) && (s.tokenSerial() == null || t.serialNumber().equals(s.tokenSerial()))) {
                    return t.slotId();
                }
            }
        }
        if (s.tokenLabels().isEmpty()) {
            for (TokenEntry t : tokens) {
                if (t.serialNumber().equals(s.tokenSerial())) {
                    return t.slotId();
                }
            }
        }
        throw new LookupFailed("no " + s.tokenDescription() + " in " + s.library() + "; tokens present: "
                + (tokens.isEmpty() ? "none" : String.join(", ", tokens.stream()
                        .map(t -> "'" + t.label() + "' (serial " + t.serialNumber() + ", slot " + t.slotId() + ")")
                        .toList())), null);
    }

    private static String text(Object info, String field) throws ReflectiveOperationException {
        return new String((char[]) info.getClass().getField(field).get(info)).strip();
    }

    /** The token could not be found; the message says why and what to do. */
    static final class LookupFailed extends RuntimeException {
        LookupFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
