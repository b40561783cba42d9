package org.portcullis.kmip;

/** The TTLV item types of KMIP 1.x (spec §9.1.1.2), with the byte that encodes each. */
public enum ItemType {
    STRUCTURE(0x01),
    INTEGER(0x02),
    LONG_INTEGER(0x03),
    BIG_INTEGER(0x04),
    ENUMERATION(0x05),
    BOOLEAN(0x06),
    TEXT_STRING(0x07),
    BYTE_STRING(0x08),
    DATE_TIME(0x09),
    INTERVAL(0x0A);

    private final int code;

    ItemType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type encoded by {@code code}, or a {@link KmipProtocolException}. */
    public static ItemType of(int code) {
        for (ItemType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new KmipProtocolException(String.format("unknown TTLV item type 0x%02X", code));
    }
}
