package org.portcullis.kmip;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * The KMIP 1.x tags this client reads or writes (spec §9.1.3.1; the same numbers as PyKMIP's
 * {@code kmip.core.enums.Tags}).
 */
public final class Tags {
    public static final int ACTIVATION_DATE = 0x420001;
    public static final int APPLICATION_DATA = 0x420002;
    public static final int APPLICATION_NAMESPACE = 0x420003;
    public static final int APPLICATION_SPECIFIC_INFORMATION = 0x420004;
    public static final int ATTRIBUTE = 0x420008;
    public static final int ATTRIBUTE_INDEX = 0x420009;
    public static final int ATTRIBUTE_NAME = 0x42000A;
    public static final int ATTRIBUTE_VALUE = 0x42000B;
    public static final int AUTHENTICATION = 0x42000C;
    public static final int BATCH_COUNT = 0x42000D;
    public static final int BATCH_ITEM = 0x42000F;
    public static final int COMPROMISE_OCCURRENCE_DATE = 0x420021;
    public static final int CREDENTIAL = 0x420023;
    public static final int CREDENTIAL_TYPE = 0x420024;
    public static final int CREDENTIAL_VALUE = 0x420025;
    public static final int CRYPTOGRAPHIC_ALGORITHM = 0x420028;
    public static final int CRYPTOGRAPHIC_LENGTH = 0x42002A;
    public static final int CRYPTOGRAPHIC_PARAMETERS = 0x42002B;
    public static final int CRYPTOGRAPHIC_USAGE_MASK = 0x42002C;
    public static final int KEY_BLOCK = 0x420040;
    public static final int KEY_COMPRESSION_TYPE = 0x420041;
    public static final int KEY_FORMAT_TYPE = 0x420042;
    public static final int KEY_MATERIAL = 0x420043;
    public static final int KEY_VALUE = 0x420045;
    public static final int MAXIMUM_ITEMS = 0x42004F;
    public static final int MAXIMUM_RESPONSE_SIZE = 0x420050;
    public static final int NAME = 0x420053;
    public static final int NAME_TYPE = 0x420054;
    public static final int NAME_VALUE = 0x420055;
    public static final int OBJECT_GROUP = 0x420056;
    public static final int OBJECT_TYPE = 0x420057;
    public static final int OPAQUE_DATA_TYPE = 0x420059;
    public static final int OPAQUE_DATA_VALUE = 0x42005A;
    public static final int OPAQUE_OBJECT = 0x42005B;
    public static final int OPERATION = 0x42005C;
    public static final int PROTOCOL_VERSION = 0x420069;
    public static final int PROTOCOL_VERSION_MAJOR = 0x42006A;
    public static final int PROTOCOL_VERSION_MINOR = 0x42006B;
    public static final int REQUEST_HEADER = 0x420077;
    public static final int REQUEST_MESSAGE = 0x420078;
    public static final int REQUEST_PAYLOAD = 0x420079;
    public static final int RESPONSE_HEADER = 0x42007A;
    public static final int RESPONSE_MESSAGE = 0x42007B;
    public static final int RESPONSE_PAYLOAD = 0x42007C;
    public static final int RESULT_MESSAGE = 0x42007D;
    public static final int RESULT_REASON = 0x42007E;
    public static final int RESULT_STATUS = 0x42007F;
    public static final int REVOCATION_MESSAGE = 0x420080;
    public static final int REVOCATION_REASON = 0x420081;
    public static final int REVOCATION_REASON_CODE = 0x420082;
    public static final int SECRET_DATA = 0x420085;
    public static final int SECRET_DATA_TYPE = 0x420086;
    public static final int STATE = 0x42008D;
    public static final int SYMMETRIC_KEY = 0x42008F;
    public static final int TEMPLATE = 0x420090;
    public static final int TEMPLATE_ATTRIBUTE = 0x420091;
    public static final int TIME_STAMP = 0x420092;
    public static final int UNIQUE_BATCH_ITEM_ID = 0x420093;
    public static final int UNIQUE_IDENTIFIER = 0x420094;
    public static final int USERNAME = 0x420099;
    public static final int PASSWORD = 0x4200A1;
    public static final int MAC_DATA = 0x4200C6;
    public static final int DATA = 0x4200C2;

    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        for (Field f : Tags.class.getDeclaredFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                try {
                    NAMES.put(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private Tags() {}

    /** The constant's name for a known tag ({@code UNIQUE_IDENTIFIER}), else {@code TAG_42XXXX}. */
    public static String name(int tag) {
        String n = NAMES.get(tag);
        return n != null ? n : String.format("TAG_%06X", tag);
    }
}
