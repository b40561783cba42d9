package org.portcullis.kmip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TTLV primitives. Vectors marked "PyKMIP" are copied from PyKMIP's unit tests
 * ({@code kmip/tests/unit/core/primitives/test_*.py}, github OpenKMIP/PyKMIP commit 6cd44b5),
 * which encode under the tag 0x420000; the others follow from the KMIP 1.x spec §9.1 rules and
 * are checked by the round trips.
 */
class TtlvCodecTest {
    private static final int TAG = 0x420000;

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static void assertEncoding(Ttlv item, String hex) {
        assertThat(TtlvCodec.encode(item)).as("encode %s", item).isEqualTo(hex(hex));
        assertThat(TtlvCodec.decode(hex(hex))).as("decode %s", hex).isEqualTo(item);
    }

    @Test
    void integerIsFourBytesPlusFourOfPadding() {
        // KMIP 1.1 test cases: Batch Count 1, as inside every message vector in KmipVectorsTest
        assertEncoding(Ttlv.integer(Tags.BATCH_COUNT, 1), "42000D02 00000004 00000001 00000000");
        assertEncoding(Ttlv.integer(TAG, -1), "42000002 00000004 FFFFFFFF 00000000");
    }

    @Test
    void longInteger() {
        // PyKMIP test_long_integer.py: 0, max, min
        assertEncoding(Ttlv.longInteger(TAG, 0), "42000003 00000008 0000000000000000");
        assertEncoding(Ttlv.longInteger(TAG, Long.MAX_VALUE), "42000003 00000008 7fffffffffffffff");
        assertEncoding(Ttlv.longInteger(TAG, Long.MIN_VALUE), "42000003 00000008 8000000000000000");
    }

    @Test
    void bigIntegerIsSignExtendedToEightByteMultiples() {
        // PyKMIP test_big_integer.py: zero and -1000
        assertEncoding(Ttlv.bigInteger(TAG, BigInteger.ZERO), "42000004 00000008 0000000000000000");
        assertEncoding(Ttlv.bigInteger(TAG, BigInteger.valueOf(-1000)), "42000004 00000008 FFFFFFFFFFFFFC18");
        // 2^64 needs 9 bytes of two's complement, so 16 on the wire
        assertEncoding(Ttlv.bigInteger(TAG, BigInteger.ONE.shiftLeft(64)),
                "42000004 00000010 0000000000000001 0000000000000000");
    }

    @Test
    void enumerationAndInterval() {
        // KMIP 1.1 test cases: Operation Get (0x0A), as in the Get request vector
        assertEncoding(Ttlv.enumeration(Tags.OPERATION, 0x0A), "42005C05 00000004 0000000A 00000000");
        assertEncoding(Ttlv.interval(TAG, 864000), "4200000A 00000004 000D2F00 00000000");
    }

    @Test
    void booleanIsEightBytes() {
        // PyKMIP test_boolean.py
        assertEncoding(Ttlv.bool(TAG, true), "42000006 00000008 0000000000000001");
        assertEncoding(Ttlv.bool(TAG, false), "42000006 00000008 0000000000000000");
    }

    @Test
    void dateTimeIsSecondsSinceTheEpoch() {
        // PyKMIP test_date_time.py: 1335514341 = 0x4F9A54E5
        assertEncoding(Ttlv.dateTime(TAG, 1335514341L), "42000009 00000008 000000004F9A54E5");
    }

    @Test
    void textStringLengthExcludesPadding() {
        // PyKMIP test_text_string.py test_read: "Hello World", length 11, 5 bytes of padding
        assertEncoding(Ttlv.text(TAG, "Hello World"), "42000007 0000000B 48656C6C6F20576F726C64 0000000000");
        // exactly 8 bytes: no padding; empty: no value bytes at all
        assertEncoding(Ttlv.text(TAG, "Hello Wo"), "42000007 00000008 48656C6C6F20576F");
        assertEncoding(Ttlv.text(TAG, ""), "42000007 00000000");
        // UTF-8: "é" is two bytes
        assertEncoding(Ttlv.text(TAG, "é"), "42000007 00000002 C3A9000000000000");
    }

    @Test
    void byteStringLengthExcludesPadding() {
        // PyKMIP test_byte_string.py test_read: 01 02 03, length 3
        assertEncoding(Ttlv.bytes(TAG, new byte[] {1, 2, 3}), "42000008 00000003 0102030000000000");
        assertEncoding(Ttlv.bytes(TAG, hex("0102030405060708")), "42000008 00000008 0102030405060708");
        assertEncoding(Ttlv.bytes(TAG, hex("010203040506070809")),
                "42000008 00000009 0102030405060708 0900000000000000");
    }

    @Test
    void structureLengthIsItsPaddedChildren() {
        // KMIP 1.1 test cases: Protocol Version 1.1 (header of every message vector)
        assertEncoding(Ttlv.structure(Tags.PROTOCOL_VERSION, Ttlv.integer(Tags.PROTOCOL_VERSION_MAJOR, 1),
                        Ttlv.integer(Tags.PROTOCOL_VERSION_MINOR, 1)),
                "42006901 00000020 42006A02 00000004 00000001 00000000 42006B02 00000004 00000001 00000000");
        assertEncoding(Ttlv.structure(TAG), "42000001 00000000");
    }

    @Test
    void everyTypeRoundTripsInsideNestedStructures() {
        Ttlv tree = Ttlv.structure(TAG,
                Ttlv.integer(0x420001, Integer.MIN_VALUE),
                Ttlv.longInteger(0x420002, -5),
                Ttlv.bigInteger(0x420003, new BigInteger("-123456789012345678901234567890")),
                Ttlv.enumeration(0x420004, 0x80000000),
                Ttlv.bool(0x420005, true),
                Ttlv.text(0x420006, "a text of thirteen"),
                Ttlv.bytes(0x420007, new byte[] {(byte) 0xFF}),
                Ttlv.dateTime(0x420008, 0),
                Ttlv.interval(0x420009, -1),
                Ttlv.structure(0x42000A, Ttlv.structure(0x42000B, Ttlv.text(0x42000C, "deep"))));

        byte[] encoded = TtlvCodec.encode(tree);

        assertThat(encoded.length % 8).isZero();
        assertThat(TtlvCodec.decode(encoded)).isEqualTo(tree);
        assertThat(TtlvCodec.decode(encoded).child(0x420003).bigIntegerValue())
                .isEqualTo(new BigInteger("-123456789012345678901234567890"));
    }

    @Test
    void nonZeroPaddingIsRefused() {
        // PyKMIP test_text_string.py test_read_on_invalid_padding
        assertThatThrownBy(() -> TtlvCodec.decode(hex("42000007 0000000B 48656C6C6F20576F726C64 FFFFFFFFFF")))
                .isInstanceOf(KmipProtocolException.class).hasMessageContaining("padding");
        assertThatThrownBy(() -> TtlvCodec.decode(hex("42000002 00000004 00000001 00000001")))
                .isInstanceOf(KmipProtocolException.class).hasMessageContaining("padding");
    }

    @Test
    void malformedItemsAreRefused() {
        List<String> bad = List.of(
                "42000006 00000008 0000000000000002", // PyKMIP test_boolean.py: 2 is not a Boolean
                "42000006 00000008",                 // PyKMIP test_boolean.py: value missing
                "42000002 00000008 0000000100000000", // Integer with length 8
                "42000009 00000004 00000001 00000000", // Date-Time with length 4
                "42000004 00000004 00000001 00000000", // Big Integer not a multiple of 8
                "42000007 00000002 C328000000000000", // invalid UTF-8
                "4200000B 00000000",                 // unknown type 0x0B
                "42000001 00000008 42000002 00000004 00000001 00000000", // child overruns the structure
                "42000002 00000004 00000001 00000000 00", // trailing byte
                "420000");                          // truncated header
        for (String b : bad) {
            assertThatThrownBy(() -> TtlvCodec.decode(hex(b))).as(b).isInstanceOf(KmipProtocolException.class);
        }
    }

    @Test
    void nestingIsLimited() {
        Ttlv item = Ttlv.structure(TAG);
        for (int i = 0; i < TtlvCodec.MAX_DEPTH + 1; i++) {
            item = Ttlv.structure(TAG, item);
        }
        byte[] deep = TtlvCodec.encode(item);
        assertThatThrownBy(() -> TtlvCodec.decode(deep)).isInstanceOf(KmipProtocolException.class)
                .hasMessageContaining("nesting");
    }

    @Test
    void accessorsReportTypeMismatches() {
        Ttlv item = Ttlv.text(Tags.UNIQUE_IDENTIFIER, "1");
        assertThatThrownBy(item::intValue).isInstanceOf(KmipProtocolException.class)
                .hasMessageContaining("UNIQUE_IDENTIFIER");
        assertThatThrownBy(() -> Ttlv.structure(Tags.RESPONSE_PAYLOAD).child(Tags.UNIQUE_IDENTIFIER))
                .isInstanceOf(KmipProtocolException.class).hasMessageContaining("has no child");
    }

    @Test
    void byteStringsAreNotPrinted() {
        assertThat(Ttlv.bytes(Tags.KEY_MATERIAL, hex("DEADBEEF")).toString()).contains("[4 bytes]")
                .doesNotContainIgnoringCase("dead");
        assertThat(new ManagedObject.SymmetricKey(3, 256, hex("DEADBEEF")).toString()).doesNotContainIgnoringCase("dead");
    }
}
