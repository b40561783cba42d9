package org.portcullis.stores.software;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AesGcmTest {
    private static final SecretKey KEY = new SecretKeySpec(AesGcm.randomKeyBytes(), "AES");
    private static final byte[] HEADER = {1, 9, 8, 7, 6, 5, 4, 3, 2};
    private static final byte[] PLAIN = "the payload".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AAD = AssociatedData.of("payload", "secret-1", "project-1", "store-1");

    @Test
    void sealThenOpenRoundTrips() throws Exception {
        byte[] sealed = AesGcm.seal(KEY, HEADER, PLAIN, AAD);

        assertThat(sealed).hasSize(HEADER.length + AesGcm.NONCE_BYTES + PLAIN.length + AesGcm.TAG_BITS / 8);
        assertThat(Arrays.copyOf(sealed, HEADER.length)).as("header in clear").isEqualTo(HEADER);
        assertThat(AesGcm.open(KEY, sealed, HEADER.length, AAD)).isEqualTo(PLAIN);
    }

    @Test
    void emptyPlaintextRoundTrips() throws Exception {
        byte[] sealed = AesGcm.seal(KEY, HEADER, new byte[0], AAD);
        assertThat(AesGcm.open(KEY, sealed, HEADER.length, AAD)).isEmpty();
    }

    @Test
    void plaintextDoesNotAppearInTheCiphertext() {
        byte[] plain = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = AesGcm.seal(KEY, HEADER, plain, AAD);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("AAAAAAAA");
    }

    @Test
    void everyTamperedByteIsDetected() {
        byte[] sealed = AesGcm.seal(KEY, HEADER, PLAIN, AAD);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            int index = i;
            assertThatThrownBy(() -> AesGcm.open(KEY, tampered, HEADER.length, AAD))
                    .as("byte %d", index)
                    .isInstanceOf(AEADBadTagException.class);
        }
    }

    @Test
    void tamperedCiphertextByteFails() {
        byte[] sealed = AesGcm.seal(KEY, HEADER, PLAIN, AAD);
        sealed[HEADER.length + AesGcm.NONCE_BYTES] ^= (byte) 0x80;
        assertThatThrownBy(() -> AesGcm.open(KEY, sealed, HEADER.length, AAD)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void tamperedHeaderFails() {
        byte[] sealed = AesGcm.seal(KEY, HEADER, PLAIN, AAD);
        sealed[0] = 2; // e.g. a different format version
        assertThatThrownBy(() -> AesGcm.open(KEY, sealed, HEADER.length, AAD)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void differentAssociatedDataFails() {
        byte[] sealed = AesGcm.seal(KEY, HEADER, PLAIN, AAD);
        byte[] otherRow = AssociatedData.of("payload", "secret-2", "project-1", "store-1");
        assertThatThrownBy(() -> AesGcm.open(KEY, sealed, HEADER.length, otherRow))
                .isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void wrongKeyFails() {
        byte[] sealed = AesGcm.seal(KEY, HEADER, PLAIN, AAD);
        SecretKey other = new SecretKeySpec(AesGcm.randomKeyBytes(), "AES");
        assertThatThrownBy(() -> AesGcm.open(other, sealed, HEADER.length, AAD)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void wrongHeaderLengthFails() {
        byte[] sealed = AesGcm.seal(KEY, HEADER, PLAIN, AAD);
        assertThatThrownBy(() -> AesGcm.open(KEY, sealed, HEADER.length - 1, AAD))
                .isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void truncatedInputFailsCleanly() {
        byte[] sealed = AesGcm.seal(KEY, HEADER, PLAIN, AAD);
        byte[] truncated = Arrays.copyOf(sealed, HEADER.length + AesGcm.NONCE_BYTES + 15);
        assertThatThrownBy(() -> AesGcm.open(KEY, truncated, HEADER.length, AAD))
                .isInstanceOf(AEADBadTagException.class)
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> AesGcm.open(KEY, new byte[0], HEADER.length, AAD))
                .isInstanceOf(AEADBadTagException.class);
        byte[] cutTag = Arrays.copyOf(sealed, sealed.length - 1);
        assertThatThrownBy(() -> AesGcm.open(KEY, cutTag, HEADER.length, AAD)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void nonceDiffersBetweenSealsOfTheSamePlaintext() throws Exception {
        byte[] first = AesGcm.seal(KEY, HEADER, PLAIN, AAD);
        byte[] second = AesGcm.seal(KEY, HEADER, PLAIN, AAD);

        byte[] nonce1 = Arrays.copyOfRange(first, HEADER.length, HEADER.length + AesGcm.NONCE_BYTES);
        byte[] nonce2 = Arrays.copyOfRange(second, HEADER.length, HEADER.length + AesGcm.NONCE_BYTES);
        assertThat(nonce1).isNotEqualTo(nonce2);
        assertThat(first).isNotEqualTo(second);
        assertThat(AesGcm.open(KEY, first, HEADER.length, AAD)).isEqualTo(AesGcm.open(KEY, second, HEADER.length, AAD));
    }

    @Test
    void randomKeysAre32BytesAndDiffer() {
        byte[] a = AesGcm.randomKeyBytes();
        byte[] b = AesGcm.randomKeyBytes();
        assertThat(a).hasSize(32);
        assertThat(a).isNotEqualTo(b);
    }
}
