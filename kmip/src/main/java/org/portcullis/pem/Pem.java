package org.portcullis.pem;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what openssl, certbot, Barbican's and PyKMIP's configuration use: PEM certificate chains
 * and unencrypted private keys. Only the JDK (JCE) parses; this class only finds the blocks. Errors
 * name the file and never include key bytes. The one PEM reader of Portcullis: the KMIP client's
 * TLS and the server's own HTTPS both use it.
 *
 * <p>Private keys: PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA, EC or EdDSA), and the two legacy forms
 * openssl writes by default: SEC1 ({@code BEGIN EC PRIVATE KEY}, which must name its curve) and
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). Both are re-wrapped into PKCS#8 before the JDK reads them.
 * Encrypted keys ({@code BEGIN ENCRYPTED PRIVATE KEY}, or {@code Proc-Type: 4,ENCRYPTED}) are
 * refused: the process starts unattended, and Barbican has no option for a passphrase either.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\R(.*?)-----END \\1-----", Pattern.DOTALL);
    // DER of the OIDs 1.2.840.10045.2.1 (id-ecPublicKey) and 1.2.840.113549.1.1.1 (rsaEncryption)
    private static final byte[] OID_EC_PUBLIC_KEY = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    private static final byte[] OID_RSA = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};

    private Pem() {}

    /** Every certificate in a PEM file, in order. */
    public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (Block b : blocks(file)) {
            if (b.type().equals("CERTIFICATE")) {
                try {
                    out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                } catch (CertificateException e) {
                    throw new GeneralSecurityException(file + ": not a valid PEM certificate: " + e.getMessage(), e);
                }
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** The private key in a PEM file (PKCS#8, SEC1 EC or PKCS#1 RSA; not encrypted). */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        for (Block b : blocks(file)) {
            switch (b.type()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(b.der(), file);
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(sec1ToPkcs8(b.der(), file), file);
                }
                case "RSA PRIVATE KEY" -> {
                    if (b.encrypted()) {
                        throw encrypted(file);
                    }
                    return pkcs8(der(0x30, concat(der(0x02, new byte[] {0}), der(0x30, concat(OID_RSA, new byte[] {0x05, 0x00})),
                            der(0x04, b.der()))), file);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw encrypted(file);
                default -> { }
            }
        }
        throw new GeneralSecurityException(file + " holds no PEM private key (BEGIN PRIVATE KEY, EC PRIVATE KEY "
                + "or RSA PRIVATE KEY)");
    }

    private static GeneralSecurityException encrypted(Path file) {
        return new GeneralSecurityException(file + " holds an encrypted private key; the process starts unattended, "
                + "so store it unencrypted and owner-only: openssl pkey -in " + file + " -out key.pem && chmod 600 key.pem");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) throws GeneralSecurityException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException(file + ": the private key is not an RSA, EC or EdDSA PKCS#8 key");
    }

    /**
     * SEC1 {@code ECPrivateKey ::= SEQUENCE {version, privateKey OCTET STRING, [0] parameters,
     * [1] publicKey}} into PKCS#8 {@code SEQUENCE {0, SEQUENCE {id-ecPublicKey, curve}, OCTET
     * STRING {ECPrivateKey}}}; the curve OID comes from the [0] field.
     */
    static byte[] sec1ToPkcs8(byte[] sec1, Path file) throws GeneralSecurityException {
        Der seq = Der.read(sec1, 0);
        if (seq.tag != 0x30) {
            throw new GeneralSecurityException(file + ": EC PRIVATE KEY is not a DER SEQUENCE");
        }
        byte[] curve = null;
        int pos = seq.contentStart;
        while (pos < seq.end) {
            Der field = Der.read(sec1, pos);
            if (field.tag == 0xA0) {
                Der oid = Der.read(sec1, field.contentStart);
                if (oid.tag == 0x06) {
                    curve = java.util.Arrays.copyOfRange(sec1, field.contentStart, oid.end);
                }
            }
            pos = field.end;
        }
        if (curve == null) {
            throw new GeneralSecurityException(file + ": EC PRIVATE KEY does not name its curve; convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt");
        }
        return der(0x30, concat(der(0x02, new byte[] {0}), der(0x30, concat(OID_EC_PUBLIC_KEY, curve)), der(0x04, sec1)));
    }

    private record Block(String type, byte[] der, boolean encrypted) {}

    private static List<Block> blocks(Path file) throws IOException, GeneralSecurityException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean encrypted = body.contains("Proc-Type: 4,ENCRYPTED");
            if (encrypted) {
                out.add(new Block(m.group(1), new byte[0], true));
                continue;
            }
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body), false));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException(file + ": invalid base64 in the " + m.group(1) + " block");
            }
        }
        return out;
    }

    /** One DER element's tag and bounds, enough to walk a SEQUENCE. */
    private record Der(int tag, int contentStart, int end) {
        static Der read(byte[] b, int pos) throws GeneralSecurityException {
            if (pos + 2 > b.length) {
                throw new GeneralSecurityException("truncated DER");
            }
            int tag = b[pos] & 0xFF;
            int len = b[pos + 1] & 0xFF;
            int start = pos + 2;
            if (len > 0x80) {
                int n = len & 0x7F;
                if (n > 3 || start + n > b.length) {
                    throw new GeneralSecurityException("bad DER length");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = len << 8 | (b[start + i] & 0xFF);
                }
                start += n;
            } else if (len == 0x80) {
                throw new GeneralSecurityException("indefinite DER length");
            }
            if (start + len > b.length) {
                throw new GeneralSecurityException("DER element overruns its input");
            }
            return new Der(tag, start, start + len);
        }
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
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
}
