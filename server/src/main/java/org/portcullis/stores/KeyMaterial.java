package org.portcullis.stores;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * Key generation for stores that hold keys as sealed bytes (the software store): random
 * symmetric keys, and key pairs as PEM (PKCS#8 private key, SubjectPublicKeyInfo public key), the
 * format Barbican's simple_crypto writes. What cannot be generated is a {@link UnsupportedKey}
 * with the reason a client sees in the order's {@code error_reason}.
 */
public final class KeyMaterial {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<Integer> AES_BITS = Set.of(128, 192, 256);
    private static final Set<Integer> RSA_BITS = Set.of(2048, 3072, 4096);
    private static final Set<Integer> DSA_BITS = Set.of(2048, 3072);
    private static final Set<Integer> EC_BITS = Set.of(256, 384, 521);

    private KeyMaterial() {}

    /** An algorithm, size or mode this server will not generate. */
    public static final class UnsupportedKey extends RuntimeException {
        public UnsupportedKey(String message) {
            super(message);
        }
    }

    /** The bytes of a new symmetric key of {@code bits} for {@code algorithm} (and mode). */
    public static byte[] symmetric(String algorithm, int bits, String mode) {
        String alg = algorithm.toLowerCase(Locale.ROOT);
        boolean xts = mode != null && mode.equalsIgnoreCase("xts");
        boolean ok = switch (alg) {
            case "aes" -> AES_BITS.contains(xts ? bits / 2 : bits) && (!xts || bits % 2 == 0) && bits != 384;
            case "hmacsha1", "hmacsha256", "hmacsha384", "hmacsha512" -> bits >= 128 && bits <= 1024 && bits % 8 == 0;
            case "3des", "des3", "tripledes" -> bits == 192;
            default -> false;
        };
        if (!ok) {
            throw new UnsupportedKey("cannot generate a " + bits + "-bit " + algorithm + (xts ? " (xts)" : "")
                    + " key; supported: aes 128/192/256 (xts: 256/512), hmacsha1/256/384/512 128-1024, 3des 192");
        }
        byte[] key = new byte[bits / 8];
        RANDOM.nextBytes(key);
        return key;
    }

    /** A generated key pair as PEM, the private key encrypted when a passphrase is given. */
    public record PemPair(byte[] privateKey, byte[] publicKey) {}

    public static PemPair keyPair(String algorithm, int bits, String passphrase) {
        String alg = algorithm.toLowerCase(Locale.ROOT);
        try {
            KeyPairGenerator generator;
            switch (alg) {
                case "rsa" -> {
                    require(RSA_BITS.contains(bits), "RSA keys are generated with 2048, 3072 or 4096 bits");
                    generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(bits, RANDOM);
                }
                case "dsa" -> {
                    require(DSA_BITS.contains(bits), "DSA keys are generated with 2048 or 3072 bits");
                    generator = KeyPairGenerator.getInstance("DSA");
                    generator.initialize(bits, RANDOM);
                }
                case "ec" -> {
                    require(EC_BITS.contains(bits), "EC keys are generated on P-256, P-384 or P-521 (bit_length 256, 384, 521)");
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp" + bits + "r1"), RANDOM);
                }
                default -> throw new UnsupportedKey("cannot generate " + algorithm + " key pairs; supported: rsa, dsa, ec");
            }
            KeyPair pair = generator.generateKeyPair();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            byte[] privatePem = passphrase == null || passphrase.isEmpty()
                    ? pem("PRIVATE KEY", pkcs8)
                    : pem("ENCRYPTED PRIVATE KEY", encrypt(pkcs8, passphrase));
            return new PemPair(privatePem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new UnsupportedKey("key pair generation failed: " + e.getMessage());
        }
    }

    /** PKCS#8 EncryptedPrivateKeyInfo under PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC). */
    private static byte[] encrypt(byte[] pkcs8, String passphrase) throws GeneralSecurityException {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        String scheme = "PBEWithHmacSHA256AndAES_256";
        PBEParameterSpec params = new PBEParameterSpec(salt, 600_000);
        SecretKeyFactory factory = SecretKeyFactory.getInstance(scheme);
        var key = factory.generateSecret(new PBEKeySpec(passphrase.toCharArray()));
        Cipher cipher = Cipher.getInstance(scheme);
        cipher.init(Cipher.ENCRYPT_MODE, key, params);
        byte[] encrypted = cipher.doFinal(pkcs8);
        try {
            return new EncryptedPrivateKeyInfo(cipher.getParameters(), encrypted).getEncoded();
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot encode the encrypted private key", e);
        }
    }

    private static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new UnsupportedKey(message);
        }
    }
}
