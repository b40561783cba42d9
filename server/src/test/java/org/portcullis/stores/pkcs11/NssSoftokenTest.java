package org.portcullis.stores.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import javax.crypto.AEADBadTagException;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.portcullis.crypto.Aead;

/**
 * The in-token operations of the PKCS#11 store on a second PKCS#11 implementation, NSS softoken
 * (installed with the JDK's dependencies; SunPKCS11's NSS mode, no database, so session keys
 * only): GCM "encrypt-as-wrap" of a project key under a sensitive, non-extractable AES-256 key
 * and its tamper detection — the same {@link org.portcullis.crypto.Aead} calls as on SoftHSM2.
 *
 * <p>HMAC-SHA256 is not covered: with JDK 25 and NSS 3.87, SunPKCS11's HmacSHA256 fails on NSS
 * softoken for every key (generated HmacSHA256 or AES keys, imported keys) with
 * CKR_KEY_TYPE_INCONSISTENT, so the whole store cannot run on NSS softoken; SoftHSM2 is the
 * implementation the store's integration tests use.
 */
class NssSoftokenTest {
    private static final Path NSS_DIR = Path.of("/usr/lib/x86_64-linux-gnu");
    private static Provider nss;

    @BeforeAll
    static void nss() {
        Assumptions.assumeTrue(Files.exists(NSS_DIR.resolve("libsoftokn3.so")), "NSS softoken (libnss3) not installed");
        nss = Security.getProvider("SunPKCS11").configure("--name=portcullis-nss\nnssLibraryDirectory=" + NSS_DIR
                + "\nnssDbMode=noDb\nnssModule=crypto\nattributes(generate, CKO_SECRET_KEY, *) = {\n"
                + "  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n");
    }

    @Test
    void projectKeyWrapsAndUnwrapsUnderAnUnextractableMasterKey() throws Exception {
        SecretKey mkek = key("AES");
        assertThat(mkek.getEncoded()).isNull(); // it stays in the token
        byte[] projectKey = new byte[32];
        new SecureRandom().nextBytes(projectKey);
        byte[] aad = "store|project|kek".getBytes();

        Aead aead = Aead.inToken(mkek, nss, new SecureRandom());
        byte[] wrapped = aead.seal(new byte[0], projectKey, aad);

        assertThat(wrapped).hasSize(12 + 32 + 16);
        assertThat(aead.open(wrapped, 0, aad)).isEqualTo(projectKey);
        byte[] flipped = wrapped.clone();
        flipped[20] ^= 1;
        assertThatThrownBy(() -> aead.open(flipped, 0, aad))
                .isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> aead.open(wrapped, 0, "other".getBytes()))
                .isInstanceOf(AEADBadTagException.class);
    }

    private static SecretKey key(String algorithm) throws Exception {
        KeyGenerator gen = KeyGenerator.getInstance(algorithm, nss);
        gen.init(256);
        return gen.generateKey();
    }
}
