package org.portcullis.kmip;

import org.portcullis.kmip.Kmip.NameType;

/**
 * A KMIP 1.x attribute: a name (spec §3), an optional index for multi-valued attributes, and a
 * value whose TTLV item carries the tag Attribute Value. Factories build the common ones.
 */
public record Attribute(String name, Integer index, Ttlv value) {
    public static final String NAME = "Name";
    public static final String OBJECT_TYPE = "Object Type";
    public static final String CRYPTOGRAPHIC_ALGORITHM = "Cryptographic Algorithm";
    public static final String CRYPTOGRAPHIC_LENGTH = "Cryptographic Length";
    public static final String CRYPTOGRAPHIC_USAGE_MASK = "Cryptographic Usage Mask";
    public static final String STATE = "State";
    public static final String UNIQUE_IDENTIFIER = "Unique Identifier";

    public Attribute {
        if (value.tag() != Tags.ATTRIBUTE_VALUE) {
            throw new IllegalArgumentException("an attribute value has the tag ATTRIBUTE_VALUE");
        }
    }

    /** A Name attribute, type Uninterpreted Text String. */
    public static Attribute name(String name) {
        return new Attribute(NAME, null, Ttlv.structure(Tags.ATTRIBUTE_VALUE,
                Ttlv.text(Tags.NAME_VALUE, name), Ttlv.enumeration(Tags.NAME_TYPE, NameType.UNINTERPRETED_TEXT_STRING)));
    }

    public static Attribute enumeration(String name, int value) {
        return new Attribute(name, null, Ttlv.enumeration(Tags.ATTRIBUTE_VALUE, value));
    }

    public static Attribute integer(String name, int value) {
        return new Attribute(name, null, Ttlv.integer(Tags.ATTRIBUTE_VALUE, value));
    }

    public static Attribute text(String name, String value) {
        return new Attribute(name, null, Ttlv.text(Tags.ATTRIBUTE_VALUE, value));
    }

    /** The text of a Name attribute's Name Value. */
    public String nameValue() {
        return value.child(Tags.NAME_VALUE).textValue();
    }

    public int intValue() {
        return value.intValue();
    }

    public String textValue() {
        return value.textValue();
    }

    Ttlv encode() {
        return index == null
                ? Ttlv.structure(Tags.ATTRIBUTE, Ttlv.text(Tags.ATTRIBUTE_NAME, name), value)
                : Ttlv.structure(Tags.ATTRIBUTE, Ttlv.text(Tags.ATTRIBUTE_NAME, name),
                        Ttlv.integer(Tags.ATTRIBUTE_INDEX, index), value);
    }

    static Attribute decode(Ttlv item) {
        Integer index = item.find(Tags.ATTRIBUTE_INDEX).map(Ttlv::intValue).orElse(null);
        return new Attribute(item.child(Tags.ATTRIBUTE_NAME).textValue(), index, item.child(Tags.ATTRIBUTE_VALUE));
    }
}
