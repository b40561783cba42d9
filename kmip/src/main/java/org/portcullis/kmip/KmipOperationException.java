package org.portcullis.kmip;

import org.portcullis.kmip.Kmip.ResultReason;

/**
 * The server answered a request with Result Status "Operation Failed" (or "Undone"/"Pending",
 * which this synchronous client treats as failures). Carries the Result Reason and the server's
 * Result Message. The two reasons a caller usually must tell apart have their own subclasses,
 * {@link ItemNotFound} and {@link PermissionDenied}; {@link #of} picks the right class.
 */
public class KmipOperationException extends KmipException {
    private final int operation;
    private final ResultReason reason;
    private final int reasonCode;
    private final String resultMessage;

    public KmipOperationException(int operation, int reasonCode, String resultMessage) {
        super(Kmip.Operation.name(operation) + " failed: " + describe(reasonCode)
                + (resultMessage == null || resultMessage.isEmpty() ? "" : " (" + resultMessage + ")"), null);
        this.operation = operation;
        this.reason = ResultReason.of(reasonCode);
        this.reasonCode = reasonCode;
        this.resultMessage = resultMessage;
    }

    /** The exception class for a Result Reason. */
    public static KmipOperationException of(int operation, int reasonCode, String message) {
        return switch (ResultReason.of(reasonCode)) {
            case ITEM_NOT_FOUND -> new ItemNotFound(operation, reasonCode, message);
            case PERMISSION_DENIED, AUTHENTICATION_NOT_SUCCESSFUL -> new PermissionDenied(operation, reasonCode, message);
            default -> new KmipOperationException(operation, reasonCode, message);
        };
    }

    private static String describe(int code) {
        ResultReason r = ResultReason.of(code);
        return r == ResultReason.UNKNOWN ? String.format("result reason 0x%X", code) : r.name();
    }

    public int operation() {
        return operation;
    }

    public ResultReason reason() {
        return reason;
    }

    public int reasonCode() {
        return reasonCode;
    }

    /** The server's own Result Message, possibly null. */
    public String resultMessage() {
        return resultMessage;
    }

    /** ITEM_NOT_FOUND: no object with that unique identifier (or it was destroyed). */
    public static final class ItemNotFound extends KmipOperationException {
        public ItemNotFound(int operation, int reasonCode, String message) {
            super(operation, reasonCode, message);
        }
    }

    /**
     * PERMISSION_DENIED or AUTHENTICATION_NOT_SUCCESSFUL: the client identity may not do this to
     * this object (on PyKMIP: the object belongs to another certificate CN).
     */
    public static final class PermissionDenied extends KmipOperationException {
        public PermissionDenied(int operation, int reasonCode, String message) {
            super(operation, reasonCode, message);
        }
    }
}
