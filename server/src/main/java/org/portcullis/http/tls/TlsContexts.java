package org.portcullis.http.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.portcullis.config.ConfigException;
import org.portcullis.config.PortcullisConfig.TlsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the server's TLS context from PEM files: TLS 1.2 and 1.3 only; on 1.2 only forward-secret
 * AEAD suites (ECDHE/DHE with AES-GCM or ChaCha20-Poly1305: Jetty's defaults already drop RSA key
 * exchange, SHA-1 and MD5 MACs, NULL and anonymous suites; CBC goes too); no renegotiation;
 * client certificates required when a client CA file is configured.
 */
public final class TlsContexts {
    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    /** The protocols offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsContexts() {}

    public static SslContextFactory.Server server(TlsSettings tls) {
        List<X509Certificate> chain = PemFiles.certificates(tls.certFile());
        PrivateKey key = PemFiles.privateKey(tls.keyFile());
        PemFiles.requireMatch(key, chain.get(0), tls.keyFile(), tls.certFile());
        warnIfNotCurrentlyValid(chain.get(0), tls);

        // The key store lives only in memory; its password only guards this process's own copy.
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        SslContextFactory.Server factory = new SslContextFactory.Server();
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, password.toCharArray(), chain.toArray(X509Certificate[]::new));
            factory.setKeyStore(keys);
            factory.setKeyStorePassword(password);
            factory.setKeyManagerPassword(password);
            if (tls.clientCaFile() != null) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate ca : PemFiles.certificates(tls.clientCaFile())) {
                    trust.setCertificateEntry("client-ca-" + i++, ca);
                }
                factory.setTrustStore(trust);
                factory.setNeedClientAuth(true);
            }
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new ConfigException("[portcullis] TLS: cannot build the key store from " + tls.certFile() + " and "
                    + tls.keyFile() + ": " + e.getMessage(), e);
        }
        factory.setIncludeProtocols(PROTOCOLS.toArray(String[]::new));
        factory.addExcludeCipherSuites("^.*_CBC_.*$");
        factory.setRenegotiationAllowed(false);
        factory.setSniRequired(false);
        return factory;
    }

    private static void warnIfNotCurrentlyValid(X509Certificate leaf, TlsSettings tls) {
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            LOG.warn("{}: the server certificate expired on {}; clients will refuse it", tls.certFile(), leaf.getNotAfter());
        } catch (CertificateNotYetValidException e) {
            LOG.warn("{}: the server certificate is not valid before {}; clients will refuse it", tls.certFile(),
                    leaf.getNotBefore());
        }
    }
}
