package org.portcullis.kmip;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The KMIP TTLV wire encoding (KMIP 1.x spec §9.1): each item is a 3-byte tag, a 1-byte type, a
 * 4-byte big-endian length and the value, zero-padded to a multiple of 8 bytes. The length counts
 * the value without its padding, except for a Structure, whose length is the sum of its encoded
 * (padded) children. Fixed sizes: Integer, Enumeration and Interval 4 bytes (+4 padding), Long
 * Integer and Date-Time 8, Boolean 8 (0 or 1), Big Integer a multiple of 8 (two's complement,
 * sign-extended).
 *
 * <p>Decoding is strict, because the input comes from the network: wrong fixed lengths, non-zero
 * padding, a Boolean other than 0/1, invalid UTF-8, a child overrunning its structure or trailing
 * bytes are all {@link KmipProtocolException}s. Nesting is limited to {@value #MAX_DEPTH} levels.
 */
public final class TtlvCodec {
    static final int MAX_DEPTH = 32;

    private TtlvCodec() {}

    public static byte[] encode(Ttlv item) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(out, item);
        return out.toByteArray();
    }

    /** Decodes exactly one item that spans all of {@code bytes}. */
    public static Ttlv decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Ttlv item = read(in, 0);
        if (in.hasRemaining()) {
            throw new KmipProtocolException(in.remaining() + " trailing bytes after the TTLV item");
        }
        return item;
    }

    /** The padded size of a value of {@code length} bytes. */
    static int padded(int length) {
        return (length + 7) & ~7;
    }

    private static void write(ByteArrayOutputStream out, Ttlv item) {
        byte[] value = switch (item.type()) {
            case STRUCTURE -> {
                ByteArrayOutputStream inner = new ByteArrayOutputStream();
                for (Ttlv child : item.children()) {
                    write(inner, child);
                }
                yield inner.toByteArray();
            }
            case INTEGER, ENUMERATION, INTERVAL -> ByteBuffer.allocate(4).putInt((Integer) item.rawValue()).array();
            case LONG_INTEGER, DATE_TIME -> ByteBuffer.allocate(8).putLong((Long) item.rawValue()).array();
            case BIG_INTEGER -> bigInteger((BigInteger) item.rawValue());
            case BOOLEAN -> ByteBuffer.allocate(8).putLong((Boolean) item.rawValue() ? 1 : 0).array();
            case TEXT_STRING -> ((String) item.rawValue()).getBytes(StandardCharsets.UTF_8);
            case BYTE_STRING -> (byte[]) item.rawValue();
        };
        out.write(item.tag() >>> 16);
        out.write(item.tag() >>> 8);
        out.write(item.tag());
        out.write(item.type().code());
        out.writeBytes(ByteBuffer.allocate(4).putInt(value.length).array());
        out.writeBytes(value);
        out.writeBytes(new byte[padded(value.length) - value.length]);
    }

    /** Two's complement, sign-extended to a multiple of 8 bytes (spec §9.1.1.4, Big Integer). */
    private static byte[] bigInteger(BigInteger v) {
        byte[] minimal = v.toByteArray();
        byte[] out = new byte[padded(minimal.length)];
        Arrays.fill(out, 0, out.length - minimal.length, (byte) (v.signum() < 0 ? 0xFF : 0x00));
        System.arraycopy(minimal, 0, out, out.length - minimal.length, minimal.length);
        return out;
    }

    private static Ttlv read(ByteBuffer in, int depth) {
        if (depth > MAX_DEPTH) {
            throw new KmipProtocolException("TTLV nesting deeper than " + MAX_DEPTH + " levels");
        }
        if (in.remaining() < 8) {
            throw new KmipProtocolException("truncated TTLV header: " + in.remaining() + " bytes left, need 8");
        }
        int tag = (in.get() & 0xFF) << 16 | (in.get() & 0xFF) << 8 | (in.get() & 0xFF);
        ItemType type = ItemType.of(in.get() & 0xFF);
        long length = in.getInt() & 0xFFFFFFFFL;
        long paddedLength = type == ItemType.STRUCTURE ? length : padded((int) Math.min(length, Integer.MAX_VALUE - 7));
        if (length > in.remaining() || paddedLength > in.remaining()) {
            throw new KmipProtocolException(String.format("%s 0x%06X: length %d overruns the %d bytes left",
                    Tags.name(tag), tag, length, in.remaining()));
        }
        int len = (int) length;
        Ttlv item = switch (type) {
            case STRUCTURE -> {
                if (len % 8 != 0) {
                    throw bad(tag, type, "structure length " + len + " is not a multiple of 8");
                }
                ByteBuffer body = in.slice(in.position(), len);
                in.position(in.position() + len);
                List<Ttlv> children = new ArrayList<>();
                while (body.hasRemaining()) {
                    children.add(read(body, depth + 1));
                }
                yield Ttlv.structure(tag, children);
            }
            case INTEGER, ENUMERATION, INTERVAL -> {
                fixed(tag, type, len, 4);
                int v = in.getInt();
                yield type == ItemType.INTEGER ? Ttlv.integer(tag, v)
                        : type == ItemType.ENUMERATION ? Ttlv.enumeration(tag, v) : Ttlv.interval(tag, v);
            }
            case LONG_INTEGER, DATE_TIME -> {
                fixed(tag, type, len, 8);
                long v = in.getLong();
                yield type == ItemType.LONG_INTEGER ? Ttlv.longInteger(tag, v) : Ttlv.dateTime(tag, v);
            }
            case BOOLEAN -> {
                fixed(tag, type, len, 8);
                long v = in.getLong();
                if (v != 0 && v != 1) {
                    throw bad(tag, type, "value " + v + " is neither 0 nor 1");
                }
                yield Ttlv.bool(tag, v == 1);
            }
            case BIG_INTEGER -> {
                if (len == 0 || len % 8 != 0) {
                    throw bad(tag, type, "length " + len + " is not a positive multiple of 8");
                }
                byte[] b = new byte[len];
                in.get(b);
                yield Ttlv.bigInteger(tag, new BigInteger(b));
            }
            case TEXT_STRING -> {
                byte[] b = new byte[len];
                in.get(b);
                try {
                    yield Ttlv.text(tag, StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(b)).toString());
                } catch (CharacterCodingException e) {
                    throw bad(tag, type, "value is not valid UTF-8");
                }
            }
            case BYTE_STRING -> {
                byte[] b = new byte[len];
                in.get(b);
                yield Ttlv.bytes(tag, b);
            }
        };
        if (type != ItemType.STRUCTURE) {
            int pad = (int) paddedLength - len;
            for (int i = 0; i < pad; i++) {
                if (in.get() != 0) {
                    throw bad(tag, type, "padding byte " + i + " is not zero");
                }
            }
        }
        return item;
    }

    private static void fixed(int tag, ItemType type, int len, int want) {
        if (len != want) {
            throw bad(tag, type, "length " + len + ", expected " + want);
        }
    }

    private static KmipProtocolException bad(int tag, ItemType type, String problem) {
        return new KmipProtocolException(String.format("%s 0x%06X (%s): %s", Tags.name(tag), tag, type, problem));
    }
}
