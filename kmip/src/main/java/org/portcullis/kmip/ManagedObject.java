package org.portcullis.kmip;

import java.util.Arrays;
import org.portcullis.kmip.Kmip.KeyFormatType;
import org.portcullis.kmip.Kmip.ObjectType;

/**
 * The KMIP managed objects this client registers and gets: a symmetric key (Raw key format),
 * secret data (a password or seed: bytes that are not a key) and an opaque object. Byte arrays
 * are copied in and out; {@code toString} never shows them.
 */
public sealed interface ManagedObject {
    /** The Object Type enumeration value. */
    int objectType();

    /** The object as the TTLV structure that follows Object Type in Register and Get. */
    Ttlv encode();

    /** A symmetric key in Raw format: {@code algorithm} is a Cryptographic Algorithm value. */
    record SymmetricKey(int algorithm, int lengthBits, byte[] material) implements ManagedObject {
        public SymmetricKey {
            material = material.clone();
        }

        @Override
        public byte[] material() {
            return material.clone();
        }

        @Override
        public int objectType() {
            return ObjectType.SYMMETRIC_KEY;
        }

        @Override
        public Ttlv encode() {
            return Ttlv.structure(Tags.SYMMETRIC_KEY, Ttlv.structure(Tags.KEY_BLOCK,
                    Ttlv.enumeration(Tags.KEY_FORMAT_TYPE, KeyFormatType.RAW),
                    Ttlv.structure(Tags.KEY_VALUE, Ttlv.bytes(Tags.KEY_MATERIAL, material)),
                    Ttlv.enumeration(Tags.CRYPTOGRAPHIC_ALGORITHM, algorithm),
                    Ttlv.integer(Tags.CRYPTOGRAPHIC_LENGTH, lengthBits)));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SymmetricKey k && k.algorithm == algorithm && k.lengthBits == lengthBits
                    && Arrays.equals(k.material, material);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * algorithm + lengthBits) + Arrays.hashCode(material);
        }

        @Override
        public String toString() {
            return "SymmetricKey[algorithm=" + algorithm + ", " + lengthBits + " bits]";
        }
    }

    /** Secret Data: {@code dataType} is a Secret Data Type value (Password or Seed), format Opaque. */
    record SecretData(int dataType, byte[] data) implements ManagedObject {
        public SecretData {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int objectType() {
            return ObjectType.SECRET_DATA;
        }

        @Override
        public Ttlv encode() {
            return Ttlv.structure(Tags.SECRET_DATA, Ttlv.enumeration(Tags.SECRET_DATA_TYPE, dataType),
                    Ttlv.structure(Tags.KEY_BLOCK,
                            Ttlv.enumeration(Tags.KEY_FORMAT_TYPE, KeyFormatType.OPAQUE),
                            Ttlv.structure(Tags.KEY_VALUE, Ttlv.bytes(Tags.KEY_MATERIAL, data))));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SecretData s && s.dataType == dataType && Arrays.equals(s.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * dataType + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "SecretData[type=" + dataType + ", " + data.length + " bytes]";
        }
    }

    /** An Opaque Object: {@code dataType} is an Opaque Data Type value (extension values start at 0x80000000). */
    record OpaqueObject(int dataType, byte[] data) implements ManagedObject {
        public OpaqueObject {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public int objectType() {
            return ObjectType.OPAQUE_OBJECT;
        }

        @Override
        public Ttlv encode() {
            return Ttlv.structure(Tags.OPAQUE_OBJECT, Ttlv.enumeration(Tags.OPAQUE_DATA_TYPE, dataType),
                    Ttlv.bytes(Tags.OPAQUE_DATA_VALUE, data));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OpaqueObject s && s.dataType == dataType && Arrays.equals(s.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * dataType + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "OpaqueObject[type=" + dataType + ", " + data.length + " bytes]";
        }
    }

    /** Reads the object of type {@code objectType} from its TTLV structure (a Get response payload). */
    static ManagedObject decode(int objectType, Ttlv item) {
        return switch (objectType) {
            case ObjectType.SYMMETRIC_KEY -> {
                Ttlv block = expect(item, Tags.SYMMETRIC_KEY).child(Tags.KEY_BLOCK);
                yield new SymmetricKey(block.child(Tags.CRYPTOGRAPHIC_ALGORITHM).intValue(),
                        block.child(Tags.CRYPTOGRAPHIC_LENGTH).intValue(), keyMaterial(block));
            }
            case ObjectType.SECRET_DATA -> {
                Ttlv secret = expect(item, Tags.SECRET_DATA);
                yield new SecretData(secret.child(Tags.SECRET_DATA_TYPE).intValue(),
                        keyMaterial(secret.child(Tags.KEY_BLOCK)));
            }
            case ObjectType.OPAQUE_OBJECT -> {
                Ttlv opaque = expect(item, Tags.OPAQUE_OBJECT);
                yield new OpaqueObject(opaque.child(Tags.OPAQUE_DATA_TYPE).intValue(),
                        opaque.child(Tags.OPAQUE_DATA_VALUE).bytesValue());
            }
            default -> throw new KmipProtocolException("object type " + objectType + " is not supported by this client");
        };
    }

    /** Key Value is a structure holding Key Material, or (wrapped keys) a byte string itself. */
    private static byte[] keyMaterial(Ttlv keyBlock) {
        Ttlv value = keyBlock.child(Tags.KEY_VALUE);
        if (value.type() == ItemType.BYTE_STRING) {
            return value.bytesValue();
        }
        return value.child(Tags.KEY_MATERIAL).bytesValue();
    }

    private static Ttlv expect(Ttlv item, int tag) {
        if (item.tag() != tag) {
            throw new KmipProtocolException("expected " + Tags.name(tag) + ", got " + Tags.name(item.tag()));
        }
        return item;
    }
}
