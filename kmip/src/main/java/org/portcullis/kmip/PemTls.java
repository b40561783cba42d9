package org.portcullis.kmip;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.portcullis.pem.Pem;

/**
 * An {@link SSLContext} for mutual TLS from PEM files, the format Barbican's and PyKMIP's
 * configuration use: the client certificate (optionally followed by its chain), the client's
 * private key (read by {@link Pem}), and the CA certificates that may sign the server's
 * certificate. Only the JDK (JCE/JSSE) is used.
 */
public final class PemTls {
    private PemTls() {}

    /** A TLS context that presents {@code certFile}+{@code keyFile} and trusts only {@code caFile}. */
    public static SSLContext context(Path certFile, Path keyFile, Path caFile) {
        try {
            List<X509Certificate> chain = Pem.certificates(certFile);
            PrivateKey key = Pem.privateKey(keyFile);
            char[] password = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate ca : Pem.certificates(caFile)) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);

            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot build the TLS context from " + certFile + ", " + keyFile
                    + " and " + caFile + ": " + e.getMessage(), e);
        }
    }
}
