package org.portcullis.http.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.portcullis.config.ConfigException;

/**
 * Reads what openssl and certbot write: PEM certificate chains and unencrypted private keys in
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY})
 * form. The two legacy forms are wrapped into PKCS#8 so the JCE's own key factories do the
 * parsing. Errors name the file and never include key bytes.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    // DER: AlgorithmIdentifier { rsaEncryption, NULL } and the id-ecPublicKey OID
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

    private PemFiles() {}

    /** The certificates in {@code file}, in file order (leaf first for a server chain). */
    public static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type().equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException e) {
            throw new ConfigException(file + ": not a valid PEM certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new ConfigException(file + ": no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return out;
    }

    /** The one private key in {@code file}. */
    public static PrivateKey privateKey(Path file) {
        for (Block b : blocks(file)) {
            switch (b.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, b.der());
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(file, wrap(0, RSA_ALGORITHM, b.der()));
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(file, wrap(0, der(0x30, concat(EC_PUBLIC_KEY_OID, ecCurve(file, b.der()))), b.der()));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new ConfigException(file + ": the private key is encrypted; "
                        + "the server starts unattended, so store it unencrypted and owner-only: "
                        + "openssl pkey -in " + file + " -out key.pem && chmod 600 key.pem");
                default -> { } // e.g. EC PARAMETERS before the key
            }
        }
        throw new ConfigException(file + ": no PEM private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY "
                + "or EC PRIVATE KEY) found");
    }

    /** Throws unless {@code key} is the private half of {@code certificate}'s public key. */
    public static void requireMatch(PrivateKey key, X509Certificate certificate, Path keyFile, Path certFile) {
        PublicKey pub = certificate.getPublicKey();
        if (!pub.getAlgorithm().equals(key.getAlgorithm())) {
            throw mismatch(keyFile, certFile, key.getAlgorithm() + " key, " + pub.getAlgorithm() + " certificate");
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA sign with their own name
        };
        try {
            byte[] probe = "portcullis key/certificate match".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(probe);
            if (!verifier.verify(signature)) {
                throw mismatch(keyFile, certFile, "the key does not belong to the first certificate");
            }
        } catch (GeneralSecurityException e) {
            throw mismatch(keyFile, certFile, e.getMessage());
        }
    }

    private static ConfigException mismatch(Path keyFile, Path certFile, String why) {
        return new ConfigException("[portcullis] tls_key_file " + keyFile + " does not match the certificate in "
                + "tls_cert_file " + certFile + " (" + why + ")");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm; try the next
            }
        }
        throw new ConfigException(file + ": the private key is not an RSA, EC or EdDSA key this JDK can read");
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file + ": invalid base64 in a PEM " + m.group(1) + " block");
            }
        }
        return out;
    }

    /**
     * The curve OID of a SEC1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING key,
     * [0] parameters OPTIONAL, [1] publicKey OPTIONAL }.
     */
    private static byte[] ecCurve(Path file, byte[] sec1) {
        Der seq = Der.read(sec1, 0);
        if (seq == null || seq.tag() != 0x30) {
            throw new ConfigException(file + ": malformed EC PRIVATE KEY");
        }
        int pos = seq.contentStart();
        while (pos < seq.end()) {
            Der field = Der.read(sec1, pos);
            if (field == null) {
                break;
            }
            if (field.tag() == 0xa0) {
                Der oid = Der.read(sec1, field.contentStart());
                if (oid != null && oid.tag() == 0x06) {
                    return Arrays.copyOfRange(sec1, field.contentStart(), oid.end());
                }
            }
            pos = field.end();
        }
        throw new ConfigException(file + ": the EC PRIVATE KEY does not name its curve; convert it with "
                + "openssl pkey -in " + file + " -out key.pem");
    }

    /** One DER element's tag and extent (definite lengths only, as DER requires). */
    private record Der(int tag, int contentStart, int end) {
        static Der read(byte[] b, int pos) {
            if (pos + 2 > b.length) {
                return null;
            }
            int tag = b[pos] & 0xff;
            int len = b[pos + 1] & 0xff;
            int start = pos + 2;
            if (len > 0x80) {
                int n = len & 0x7f;
                if (n > 3 || start + n > b.length) {
                    return null;
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[start + i] & 0xff);
                }
                start += n;
            } else if (len == 0x80) {
                return null;
            }
            return start + len > b.length ? null : new Der(tag, start, start + len);
        }
    }

    /** PrivateKeyInfo ::= SEQUENCE { INTEGER version, AlgorithmIdentifier, OCTET STRING key }. */
    private static byte[] wrap(int version, byte[] algorithm, byte[] key) {
        return der(0x30, concat(new byte[] {0x02, 0x01, (byte) version}, algorithm, der(0x04, key)));
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
