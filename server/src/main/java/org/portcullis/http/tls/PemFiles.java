package org.portcullis.http.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.portcullis.config.ConfigException;
import org.portcullis.pem.Pem;

/**
 * The server's PEM files (its certificate chain and key, client CAs): read by {@link Pem}, the
 * one PEM reader, with its errors turned into configuration errors; and the check that the key
 * belongs to the certificate, which only the server needs.
 */
public final class PemFiles {
    private PemFiles() {}

    /** The certificates in {@code file}, in file order (leaf first for a server chain). */
    public static List<X509Certificate> certificates(Path file) {
        try {
            return Pem.certificates(file);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /** The one private key in {@code file}. */
    public static PrivateKey privateKey(Path file) {
        try {
            return Pem.privateKey(file);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(e.getMessage(), e);
        }
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
}
