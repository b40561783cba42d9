package org.portcullis.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Each format's parser: version 1 as already written to databases, and unknown versions refused. */
class FormatsTest {
    private static final byte[] RAW = Aead.randomKeyBytes();
    private static final Aead KEY = Aead.of(new SecretKeySpec(RAW, "AES"));

    @Test
    void aVersion1PayloadWrittenByHandOpens() throws Exception {
        // What databases hold today: 0x01 | kek uuid | nonce | GCM(payload), AAD = header then binding.
        UUID kek = UUID.randomUUID();
        byte[] header = ByteBuffer.allocate(17).put((byte) 1).putLong(kek.getMostSignificantBits())
                .putLong(kek.getLeastSignificantBits()).array();
        byte[] nonce = new byte[12];
        byte[] aad = SealedPayload.aad("s", "p", "st");
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(RAW, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(header);
        c.updateAAD(aad);
        byte[] ct = c.doFinal("hello".getBytes());
        byte[] sealed = ByteBuffer.allocate(17 + 12 + ct.length).put(header).put(nonce).put(ct).array();

        assertThat(SealedPayload.header(sealed)).isEqualTo(new SealedPayload.Header(1, kek.toString()));
        assertThat(SealedPayload.open(KEY, sealed, aad)).isEqualTo("hello".getBytes());
    }

    @Test
    void payloadsRoundTripAndAreBoundToTheirRow() {
        String kek = UUID.randomUUID().toString();
        byte[] sealed = SealedPayload.seal(KEY, kek, SealedPayload.aad("s", "p", "st"), new byte[] {1, 2});
        assertThat(SealedPayload.header(sealed).projectKekId()).isEqualTo(kek);
        assertThatThrownBy(() -> SealedPayload.open(KEY, sealed, SealedPayload.aad("s2", "p", "st")))
                .isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void unknownVersionsAreRefusedByEveryParser() {
        byte[] v9 = new byte[120];
        v9[0] = 9;
        assertThatThrownBy(() -> SealedPayload.header(v9)).isInstanceOf(UnknownFormatException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> WrappedKey.header(v9)).isInstanceOf(UnknownFormatException.class);
        assertThatThrownBy(() -> TokenWrappedKey.header(v9)).isInstanceOf(UnknownFormatException.class);
        assertThatThrownBy(() -> SealedPayload.header(new byte[0])).isInstanceOf(UnknownFormatException.class);
    }

    @Test
    void aWrappedKeyNamesItsMasterKeyAndOpensOnlyWithIt() throws Exception {
        byte[] masterId = {1, 2, 3, 4, 5, 6, 7, 8};
        byte[] aad = AssociatedData.of("k", "store", "project", "id");
        byte[] wrapped = WrappedKey.wrap(KEY, masterId, RAW, aad);
        assertThat(WrappedKey.header(wrapped)).isEqualTo(new WrappedKey.Header(1, "0102030405060708"));
        assertThat(WrappedKey.unwrap(KEY, wrapped, aad)).isEqualTo(RAW);
        Aead other = Aead.of(new SecretKeySpec(Aead.randomKeyBytes(), "AES"));
        assertThatThrownBy(() -> WrappedKey.unwrap(other, wrapped, aad)).isInstanceOf(AEADBadTagException.class);
    }
}
