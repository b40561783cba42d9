package org.portcullis.kmip;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One immutable TTLV item: a tag (3 bytes, {@code 0x42XXXX} for KMIP-defined tags), a type and a
 * value. Structures hold their children in order; the other types hold one Java value:
 * {@code Integer} for Integer, Enumeration and Interval; {@code Long} for Long Integer and
 * Date-Time (seconds since the epoch); {@code BigInteger}; {@code Boolean}; {@code String}; and
 * {@code byte[]} (copied in and out).
 *
 * <p>Accessors throw {@link KmipProtocolException} when the item is not of the type asked for, so a
 * malformed response surfaces as a protocol error, not a {@code ClassCastException}.
 */
public final class Ttlv {
    private final int tag;
    private final ItemType type;
    private final Object value;

    private Ttlv(int tag, ItemType type, Object value) {
        if (tag < 0 || tag > 0xFFFFFF) {
            throw new IllegalArgumentException("a TTLV tag has 3 bytes, got 0x" + Integer.toHexString(tag));
        }
        this.tag = tag;
        this.type = type;
        this.value = value;
    }

    public static Ttlv structure(int tag, List<Ttlv> children) {
        return new Ttlv(tag, ItemType.STRUCTURE, List.copyOf(children));
    }

    public static Ttlv structure(int tag, Ttlv... children) {
        return structure(tag, Arrays.asList(children));
    }

    public static Ttlv integer(int tag, int value) {
        return new Ttlv(tag, ItemType.INTEGER, value);
    }

    public static Ttlv longInteger(int tag, long value) {
        return new Ttlv(tag, ItemType.LONG_INTEGER, value);
    }

    public static Ttlv bigInteger(int tag, BigInteger value) {
        return new Ttlv(tag, ItemType.BIG_INTEGER, value);
    }

    public static Ttlv enumeration(int tag, int value) {
        return new Ttlv(tag, ItemType.ENUMERATION, value);
    }

    public static Ttlv bool(int tag, boolean value) {
        return new Ttlv(tag, ItemType.BOOLEAN, value);
    }

    public static Ttlv text(int tag, String value) {
        return new Ttlv(tag, ItemType.TEXT_STRING, value);
    }

    public static Ttlv bytes(int tag, byte[] value) {
        return new Ttlv(tag, ItemType.BYTE_STRING, value.clone());
    }

    /** A Date-Time: seconds since 1970-01-01T00:00:00Z. */
    public static Ttlv dateTime(int tag, long epochSeconds) {
        return new Ttlv(tag, ItemType.DATE_TIME, epochSeconds);
    }

    /** An Interval: a number of seconds (unsigned 32-bit on the wire). */
    public static Ttlv interval(int tag, int seconds) {
        return new Ttlv(tag, ItemType.INTERVAL, seconds);
    }

    public int tag() {
        return tag;
    }

    public ItemType type() {
        return type;
    }

    @SuppressWarnings("unchecked")
    public List<Ttlv> children() {
        return (List<Ttlv>) as(ItemType.STRUCTURE);
    }

    /** The first child with {@code childTag}, if any. */
    public Optional<Ttlv> find(int childTag) {
        return children().stream().filter(c -> c.tag == childTag).findFirst();
    }

    /** The first child with {@code childTag}; a {@link KmipProtocolException} names the missing tag. */
    public Ttlv child(int childTag) {
        return find(childTag).orElseThrow(() -> new KmipProtocolException(String.format(
                "%s 0x%06X has no child 0x%06X (%s)", Tags.name(tag), tag, childTag, Tags.name(childTag))));
    }

    /** Every child with {@code childTag}, in order. */
    public List<Ttlv> all(int childTag) {
        List<Ttlv> out = new ArrayList<>();
        for (Ttlv c : children()) {
            if (c.tag == childTag) {
                out.add(c);
            }
        }
        return out;
    }

    public int intValue() {
        if (type == ItemType.ENUMERATION || type == ItemType.INTERVAL) {
            return (Integer) value;
        }
        return (Integer) as(ItemType.INTEGER);
    }

    public long longValue() {
        if (type == ItemType.DATE_TIME) {
            return (Long) value;
        }
        return (Long) as(ItemType.LONG_INTEGER);
    }

    public BigInteger bigIntegerValue() {
        return (BigInteger) as(ItemType.BIG_INTEGER);
    }

    public boolean boolValue() {
        return (Boolean) as(ItemType.BOOLEAN);
    }

    public String textValue() {
        return (String) as(ItemType.TEXT_STRING);
    }

    public byte[] bytesValue() {
        return ((byte[]) as(ItemType.BYTE_STRING)).clone();
    }

    /** The raw value without copying, for the codec. */
    Object rawValue() {
        return value;
    }

    private Object as(ItemType wanted) {
        if (type != wanted) {
            throw new KmipProtocolException(String.format("%s 0x%06X is a %s, expected a %s", Tags.name(tag), tag,
                    type, wanted));
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Ttlv other) || other.tag != tag || other.type != type) {
            return false;
        }
        return value instanceof byte[] b ? Arrays.equals(b, (byte[]) other.value) : value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * tag + type.hashCode()) + (value instanceof byte[] b ? Arrays.hashCode(b) : value.hashCode());
    }

    /** A readable dump; byte strings show their length only, since they may hold key material. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        dump(sb, 0);
        return sb.toString();
    }

    private void dump(StringBuilder sb, int depth) {
        sb.append("  ".repeat(depth)).append(Tags.name(tag)).append(' ').append(type);
        switch (type) {
            case STRUCTURE -> {
                for (Ttlv c : children()) {
                    sb.append('\n');
                    c.dump(sb, depth + 1);
                }
            }
            case BYTE_STRING -> sb.append(" [").append(((byte[]) value).length).append(" bytes]");
            case TEXT_STRING -> sb.append(" \"").append(value).append('"');
            default -> sb.append(' ').append(value);
        }
    }
}
