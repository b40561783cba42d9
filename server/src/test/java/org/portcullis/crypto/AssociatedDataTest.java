package org.portcullis.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AssociatedDataTest {

    @Test
    void fieldBoundariesMatter() {
        assertThat(AssociatedData.of("p", "ab", "c")).isNotEqualTo(AssociatedData.of("p", "a", "bc"));
        assertThat(AssociatedData.of("p", "", "abc")).isNotEqualTo(AssociatedData.of("p", "abc", ""));
        assertThat(AssociatedData.of("pa", "b")).isNotEqualTo(AssociatedData.of("p", "ab"));
    }

    @Test
    void purposeAndOrderMatter() {
        assertThat(AssociatedData.of("payload", "s", "p")).isNotEqualTo(AssociatedData.of("project-kek", "s", "p"));
        assertThat(AssociatedData.of("p", "x", "y")).isNotEqualTo(AssociatedData.of("p", "y", "x"));
        assertThat(AssociatedData.of("p", "x")).isNotEqualTo(AssociatedData.of("p", "x", ""));
    }

    @Test
    void sameFieldsEncodeTheSame() {
        assertThat(AssociatedData.of("p", "a", "b")).isEqualTo(AssociatedData.of("p", "a", "b"));
    }

    @Test
    void encodingIsTwoByteLengthPrefixedUtf8() {
        assertThat(AssociatedData.of("p", "é")).containsExactly(0, 1, 'p', 0, 2, 0xc3, 0xa9);
        String long300 = "x".repeat(300);
        byte[] encoded = AssociatedData.of("p", long300);
        assertThat(encoded).hasSize(3 + 2 + 300);
        assertThat(encoded[3] & 0xff).isEqualTo(300 >>> 8);
        assertThat(encoded[4] & 0xff).isEqualTo(300 & 0xff);
        assertThat(new String(encoded, 5, 300, StandardCharsets.UTF_8)).isEqualTo(long300);
    }
}
