package org.portcullis.adoption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Vectors: the first is the Fernet spec's generate.json vector; the others were made with
 * python3-cryptography 38's {@code Fernet._encrypt_from_parts} (fixed time and IV), the library
 * Barbican itself uses.
 */
class FernetTest {
    private static final String SPEC_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
    private static final String SPEC_TOKEN = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";
    private static final String BINARY_TOKEN = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0OD9YyNpH6XNLBFrnzTrxVBi8PVg3bwG4_Z_fZPjz5C6FIuv3uIUT1QeGkjG6mBBmmacTSR_Ddt9B2IFi60QX7YfdPmnkJjIA8dHGJtlVai5MLNw5_CNoGMZYGtyvrXt42f2iNdgrRHk7NJzKGEZl4_o9JT904DixiZ2ExN85vzm3Hahy6RCvN9_YIGgbOIbXEhvqbpSCWQLVszdBNhn1KdD0Y6xqhdHWjFsC-yM8Ol_6KicggilgZtQs5fjxxtfNiXyqEpqXYOoFEs0Mi4AxCkt_pp-g66kJ6-DDCpr47bibK686gLq81fRlqVs6N5CRlGyBqyb-PoqYwF3BOFJXSkH2eXIx6z3T2InbZAl62Ot_AT0mYZlfSiwtixZKwHMM8H2yRhll7r_KaWMfKYp2Fsw4=";
    /** A key in the standard base64 alphabet ({@code +}, {@code /}), as Barbican deployments often write. */
    private static final String STANDARD_KEY = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
    private static final String EMPTY_TOKEN = "gAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAsye4gCrl0kH19rjSEUMPWH_SfDgt-RiP61TR4ac3NGug6lwoMnwIF9qmu2tXpgEA==";

    @Test
    void decryptsTheSpecVector() throws Exception {
        assertThat(Fernet.fromKey(SPEC_KEY).decrypt(bytes(SPEC_TOKEN))).isEqualTo(bytes("hello"));
    }

    @Test
    void decryptsBinaryPayloadsOfSeveralBlocks() throws Exception {
        byte[] expected = new byte[256];
        for (int i = 0; i < 256; i++) {
            expected[i] = (byte) i;
        }
        assertThat(Fernet.fromKey(SPEC_KEY).decrypt(bytes(BINARY_TOKEN))).isEqualTo(expected);
    }

    @Test
    void acceptsStandardAlphabetKeysAndEmptyPlaintext() throws Exception {
        assertThat(Fernet.fromKey(bytes(STANDARD_KEY)).decrypt(bytes(EMPTY_TOKEN))).isEmpty();
    }

    @Test
    void refusesAWrongKey() throws Exception {
        Fernet other = Fernet.fromKey(STANDARD_KEY);
        assertThatThrownBy(() -> other.decrypt(bytes(SPEC_TOKEN)))
                .isInstanceOf(Fernet.InvalidToken.class).hasMessageContaining("signature");
    }

    @Test
    void refusesAnAlteredToken() throws Exception {
        byte[] token = bytes(BINARY_TOKEN);
        token[60] = (byte) (token[60] == 'A' ? 'B' : 'A');
        assertThatThrownBy(() -> Fernet.fromKey(SPEC_KEY).decrypt(token)).isInstanceOf(Fernet.InvalidToken.class);
    }

    @Test
    void refusesOtherVersionsAndGarbage() throws Exception {
        Fernet f = Fernet.fromKey(SPEC_KEY);
        byte[] raw = java.util.Base64.getUrlDecoder().decode(SPEC_TOKEN);
        raw[0] = (byte) 0x81;
        assertThatThrownBy(() -> f.decrypt(bytes(java.util.Base64.getUrlEncoder().encodeToString(raw))))
                .hasMessageContaining("version");
        assertThatThrownBy(() -> f.decrypt(bytes("not a token!"))).isInstanceOf(Fernet.InvalidToken.class);
        assertThatThrownBy(() -> f.decrypt(bytes("gAAAAA"))).isInstanceOf(Fernet.InvalidToken.class);
    }

    @Test
    void refusesKeysThatAreNot32Bytes() {
        assertThatThrownBy(() -> Fernet.fromKey("c2hvcnQ=")).isInstanceOf(Fernet.InvalidToken.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
