package org.portcullis.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AeadTest {
    private static final Aead KEY = Aead.of(new SecretKeySpec(Aead.randomKeyBytes(), "AES"));
    private static final byte[] HEADER = {1, 9, 8, 7, 6, 5, 4, 3, 2};
    private static final byte[] PLAIN = "the payload".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AAD = AssociatedData.of("payload", "secret-1", "project-1", "store-1");

    @Test
    void sealThenOpenRoundTrips() throws Exception {
        byte[] sealed = KEY.seal(HEADER, PLAIN, AAD);

        assertThat(sealed).hasSize(HEADER.length + Aead.NONCE_BYTES + PLAIN.length + Aead.TAG_BYTES);
        assertThat(Arrays.copyOf(sealed, HEADER.length)).as("header in clear").isEqualTo(HEADER);
        assertThat(KEY.open(sealed, HEADER.length, AAD)).isEqualTo(PLAIN);
    }

    @Test
    void oneKeySealsAndOpensOverAndOverAfterFailuresAndFromManyThreads() throws Exception {
        Aead key = Aead.of(new SecretKeySpec(Aead.randomKeyBytes(), "AES"));
        byte[] header = {1};
        byte[] first = key.seal(header, new byte[] {7}, AAD);
        assertThatThrownBy(() -> key.open(first, 1, "other".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AEADBadTagException.class);
        byte[] second = key.seal(header, new byte[] {8}, AAD);
        assertThat(Arrays.copyOfRange(first, 1, 1 + Aead.NONCE_BYTES))
                .isNotEqualTo(Arrays.copyOfRange(second, 1, 1 + Aead.NONCE_BYTES)); // a fresh nonce each time
        assertThat(key.open(first, 1, AAD)).containsExactly(7);
        assertThat(key.open(second, 1, AAD)).containsExactly(8);
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 8; t++) {
            byte id = (byte) t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    try {
                        byte[] payload = {id, (byte) i};
                        if (!Arrays.equals(key.open(key.seal(header, payload, AAD), 1, AAD), payload)) {
                            wrong.incrementAndGet();
                        }
                    } catch (AEADBadTagException e) {
                        wrong.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(wrong).hasValue(0);
    }

    @Test
    void emptyPlaintextRoundTrips() throws Exception {
        byte[] sealed = KEY.seal(HEADER, new byte[0], AAD);
        assertThat(KEY.open(sealed, HEADER.length, AAD)).isEmpty();
    }

    @Test
    void plaintextDoesNotAppearInTheCiphertext() {
        byte[] plain = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = KEY.seal(HEADER, plain, AAD);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("AAAAAAAA");
    }

    @Test
    void everyTamperedByteIsDetected() {
        byte[] sealed = KEY.seal(HEADER, PLAIN, AAD);
        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            int index = i;
            assertThatThrownBy(() -> KEY.open(tampered, HEADER.length, AAD))
                    .as("byte %d", index)
                    .isInstanceOf(AEADBadTagException.class);
        }
    }

    @Test
    void tamperedCiphertextByteFails() {
        byte[] sealed = KEY.seal(HEADER, PLAIN, AAD);
        sealed[HEADER.length + Aead.NONCE_BYTES] ^= (byte) 0x80;
        assertThatThrownBy(() -> KEY.open(sealed, HEADER.length, AAD)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void tamperedHeaderFails() {
        byte[] sealed = KEY.seal(HEADER, PLAIN, AAD);
        sealed[0] = 2; // e.g. a different format version
        assertThatThrownBy(() -> KEY.open(sealed, HEADER.length, AAD)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void differentAssociatedDataFails() {
        byte[] sealed = KEY.seal(HEADER, PLAIN, AAD);
        byte[] otherRow = AssociatedData.of("payload", "secret-2", "project-1", "store-1");
        assertThatThrownBy(() -> KEY.open(sealed, HEADER.length, otherRow))
                .isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void wrongKeyFails() {
        byte[] sealed = KEY.seal(HEADER, PLAIN, AAD);
        Aead other = Aead.of(new SecretKeySpec(Aead.randomKeyBytes(), "AES"));
        assertThatThrownBy(() -> other.open(sealed, HEADER.length, AAD)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void wrongHeaderLengthFails() {
        byte[] sealed = KEY.seal(HEADER, PLAIN, AAD);
        assertThatThrownBy(() -> KEY.open(sealed, HEADER.length - 1, AAD))
                .isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void truncatedInputFailsCleanly() {
        byte[] sealed = KEY.seal(HEADER, PLAIN, AAD);
        byte[] truncated = Arrays.copyOf(sealed, HEADER.length + Aead.NONCE_BYTES + 15);
        assertThatThrownBy(() -> KEY.open(truncated, HEADER.length, AAD))
                .isInstanceOf(AEADBadTagException.class)
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> KEY.open(new byte[0], HEADER.length, AAD))
                .isInstanceOf(AEADBadTagException.class);
        byte[] cutTag = Arrays.copyOf(sealed, sealed.length - 1);
        assertThatThrownBy(() -> KEY.open(cutTag, HEADER.length, AAD)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void nonceDiffersBetweenSealsOfTheSamePlaintext() throws Exception {
        byte[] first = KEY.seal(HEADER, PLAIN, AAD);
        byte[] second = KEY.seal(HEADER, PLAIN, AAD);

        byte[] nonce1 = Arrays.copyOfRange(first, HEADER.length, HEADER.length + Aead.NONCE_BYTES);
        byte[] nonce2 = Arrays.copyOfRange(second, HEADER.length, HEADER.length + Aead.NONCE_BYTES);
        assertThat(nonce1).isNotEqualTo(nonce2);
        assertThat(first).isNotEqualTo(second);
        assertThat(KEY.open(first, HEADER.length, AAD)).isEqualTo(KEY.open(second, HEADER.length, AAD));
    }

    @Test
    void randomKeysAre32BytesAndDiffer() {
        byte[] a = Aead.randomKeyBytes();
        byte[] b = Aead.randomKeyBytes();
        assertThat(a).hasSize(32);
        assertThat(a).isNotEqualTo(b);
    }
}
