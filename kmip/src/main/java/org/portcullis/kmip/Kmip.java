package org.portcullis.kmip;

/**
 * KMIP 1.x enumeration values this client uses (spec §9.1.3.2), grouped by the enumeration they
 * belong to. Plain int constants, because a server may answer with values newer than this client.
 */
public final class Kmip {
    private Kmip() {}

    /** Operation (§9.1.3.2.27). */
    public static final class Operation {
        public static final int CREATE = 0x01;
        public static final int REGISTER = 0x03;
        public static final int LOCATE = 0x08;
        public static final int GET = 0x0A;
        public static final int GET_ATTRIBUTES = 0x0B;
        public static final int ACTIVATE = 0x12;
        public static final int REVOKE = 0x13;
        public static final int DESTROY = 0x14;

        private Operation() {}

        public static String name(int op) {
            return switch (op) {
                case CREATE -> "Create";
                case REGISTER -> "Register";
                case LOCATE -> "Locate";
                case GET -> "Get";
                case GET_ATTRIBUTES -> "GetAttributes";
                case ACTIVATE -> "Activate";
                case REVOKE -> "Revoke";
                case DESTROY -> "Destroy";
                default -> String.format("Operation 0x%02X", op);
            };
        }
    }

    /** Object Type (§9.1.3.2.12). */
    public static final class ObjectType {
        public static final int CERTIFICATE = 1;
        public static final int SYMMETRIC_KEY = 2;
        public static final int PUBLIC_KEY = 3;
        public static final int PRIVATE_KEY = 4;
        public static final int SECRET_DATA = 7;
        public static final int OPAQUE_OBJECT = 8;

        private ObjectType() {}
    }

    /** Cryptographic Algorithm (§9.1.3.2.13), the ones Barbican orders can ask for. */
    public static final class CryptographicAlgorithm {
        public static final int DES = 0x01;
        public static final int TRIPLE_DES = 0x02;
        public static final int AES = 0x03;
        public static final int RSA = 0x04;
        public static final int DSA = 0x05;
        public static final int ECDSA = 0x06;
        public static final int HMAC_SHA1 = 0x07;
        public static final int HMAC_SHA224 = 0x08;
        public static final int HMAC_SHA256 = 0x09;
        public static final int HMAC_SHA384 = 0x0A;
        public static final int HMAC_SHA512 = 0x0B;

        private CryptographicAlgorithm() {}
    }

    /** Key Format Type (§9.1.3.2.3). */
    public static final class KeyFormatType {
        public static final int RAW = 1;
        public static final int OPAQUE = 2;
        public static final int PKCS_1 = 3;
        public static final int PKCS_8 = 4;
        public static final int X_509 = 5;

        private KeyFormatType() {}
    }

    /** Secret Data Type (§9.1.3.2.9). */
    public static final class SecretDataType {
        public static final int PASSWORD = 1;
        public static final int SEED = 2;

        private SecretDataType() {}
    }

    /** Name Type (§9.1.3.2.10). */
    public static final class NameType {
        public static final int UNINTERPRETED_TEXT_STRING = 1;
        public static final int URI = 2;

        private NameType() {}
    }

    /** State (§9.1.3.2.18). */
    public static final class State {
        public static final int PRE_ACTIVE = 1;
        public static final int ACTIVE = 2;
        public static final int DEACTIVATED = 3;
        public static final int COMPROMISED = 4;
        public static final int DESTROYED = 5;
        public static final int DESTROYED_COMPROMISED = 6;

        private State() {}
    }

    /** Revocation Reason Code (§9.1.3.2.19). */
    public static final class RevocationReasonCode {
        public static final int UNSPECIFIED = 1;
        public static final int KEY_COMPROMISE = 2;
        public static final int CA_COMPROMISE = 3;
        public static final int AFFILIATION_CHANGED = 4;
        public static final int SUPERSEDED = 5;
        public static final int CESSATION_OF_OPERATION = 6;
        public static final int PRIVILEGE_WITHDRAWN = 7;

        private RevocationReasonCode() {}
    }

    /** Cryptographic Usage Mask bits (§9.1.3.3.1). */
    public static final class UsageMask {
        public static final int SIGN = 0x01;
        public static final int VERIFY = 0x02;
        public static final int ENCRYPT = 0x04;
        public static final int DECRYPT = 0x08;
        public static final int WRAP_KEY = 0x10;
        public static final int UNWRAP_KEY = 0x20;

        private UsageMask() {}
    }

    /** Credential Type (§9.1.3.2.1). */
    public static final class CredentialType {
        public static final int USERNAME_AND_PASSWORD = 1;

        private CredentialType() {}
    }

    /** Result Status (§9.1.3.2.28). */
    public static final class ResultStatus {
        public static final int SUCCESS = 0;
        public static final int OPERATION_FAILED = 1;
        public static final int OPERATION_PENDING = 2;
        public static final int OPERATION_UNDONE = 3;

        private ResultStatus() {}
    }

    /** Result Reason (§9.1.3.2.29). */
    public enum ResultReason {
        ITEM_NOT_FOUND(0x01),
        RESPONSE_TOO_LARGE(0x02),
        AUTHENTICATION_NOT_SUCCESSFUL(0x03),
        INVALID_MESSAGE(0x04),
        OPERATION_NOT_SUPPORTED(0x05),
        MISSING_DATA(0x06),
        INVALID_FIELD(0x07),
        FEATURE_NOT_SUPPORTED(0x08),
        OPERATION_CANCELED_BY_REQUESTER(0x09),
        CRYPTOGRAPHIC_FAILURE(0x0A),
        ILLEGAL_OPERATION(0x0B),
        PERMISSION_DENIED(0x0C),
        OBJECT_ARCHIVED(0x0D),
        INDEX_OUT_OF_BOUNDS(0x0E),
        APPLICATION_NAMESPACE_NOT_SUPPORTED(0x0F),
        KEY_FORMAT_TYPE_NOT_SUPPORTED(0x10),
        KEY_COMPRESSION_TYPE_NOT_SUPPORTED(0x11),
        ENCODING_OPTION_ERROR(0x12),
        KEY_VALUE_NOT_PRESENT(0x13),
        ATTESTATION_REQUIRED(0x14),
        ATTESTATION_FAILED(0x15),
        SENSITIVE(0x16),
        NOT_EXTRACTABLE(0x17),
        OBJECT_ALREADY_EXISTS(0x18),
        GENERAL_FAILURE(0x100),
        /** A code this client does not know (a newer server); the number is in the exception. */
        UNKNOWN(-1);

        private final int code;

        ResultReason(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static ResultReason of(int code) {
            for (ResultReason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            return UNKNOWN;
        }
    }
}
