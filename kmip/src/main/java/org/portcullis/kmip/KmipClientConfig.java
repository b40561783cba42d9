package org.portcullis.kmip;

import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * How to reach one KMIP server.
 *
 * @param host server host name or address; also checked against its certificate when
 *     {@code verifyHostname}
 * @param port usually 5696
 * @param tls a mutual-TLS context, e.g. from {@link PemTls#context}
 * @param tlsProtocols the TLS versions offered; only TLSv1.2 and TLSv1.3 are accepted
 * @param verifyHostname check the server certificate's name (SAN) against {@code host}
 * @param poolSize the most connections open at once; callers beyond it wait for a free one
 * @param connectTimeout TCP connect plus TLS handshake
 * @param readTimeout the longest wait for a response
 * @param credential optional Username/Password sent in every request header
 * @param protocolMinor KMIP 1.x minor version announced in requests (0-4; PyKMIP defaults to 2)
 */
public record KmipClientConfig(String host, int port, SSLContext tls, List<String> tlsProtocols, boolean verifyHostname,
        int poolSize, Duration connectTimeout, Duration readTimeout, Credential credential, int protocolMinor) {
    public static final List<String> ALLOWED_PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

    public KmipClientConfig {
        tlsProtocols = List.copyOf(tlsProtocols);
        if (tlsProtocols.isEmpty() || !ALLOWED_PROTOCOLS.containsAll(tlsProtocols)) {
            throw new IllegalArgumentException("TLS protocols must be among " + ALLOWED_PROTOCOLS + ", got " + tlsProtocols);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, got " + poolSize);
        }
        if (protocolMinor < 0 || protocolMinor > 4) {
            throw new IllegalArgumentException("KMIP 1.x minor version must be 0-4, got " + protocolMinor);
        }
    }

    /** TLS 1.2 and 1.3, host name checked, 8 connections, 10 s connect, 30 s read, KMIP 1.2, no credential. */
    public static KmipClientConfig of(String host, int port, SSLContext tls) {
        return new KmipClientConfig(host, port, tls, ALLOWED_PROTOCOLS, true, 8, Duration.ofSeconds(10),
                Duration.ofSeconds(30), null, 2);
    }

    public KmipClientConfig withPoolSize(int size) {
        return new KmipClientConfig(host, port, tls, tlsProtocols, verifyHostname, size, connectTimeout, readTimeout,
                credential, protocolMinor);
    }

    public KmipClientConfig withCredential(Credential c) {
        return new KmipClientConfig(host, port, tls, tlsProtocols, verifyHostname, poolSize, connectTimeout, readTimeout,
                c, protocolMinor);
    }

    public KmipClientConfig withTlsProtocols(List<String> protocols) {
        return new KmipClientConfig(host, port, tls, protocols, verifyHostname, poolSize, connectTimeout, readTimeout,
                credential, protocolMinor);
    }

    public KmipClientConfig withVerifyHostname(boolean verify) {
        return new KmipClientConfig(host, port, tls, tlsProtocols, verify, poolSize, connectTimeout, readTimeout,
                credential, protocolMinor);
    }

    public KmipClientConfig withTimeouts(Duration connect, Duration read) {
        return new KmipClientConfig(host, port, tls, tlsProtocols, verifyHostname, poolSize, connect, read, credential,
                protocolMinor);
    }

    /** {@code host:port}, for messages. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
