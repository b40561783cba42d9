package org.portcullis.http;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.portcullis.config.PortcullisConfig.ConnectionLimits;
import org.portcullis.config.PortcullisConfig.HttpSettings;
import org.portcullis.http.tls.TlsContexts;

/**
 * The one listening connector: HTTP/1.1, or TLS carrying HTTP/1.1 and, when enabled, HTTP/2
 * chosen by ALPN; with the header-size limit, idle and slow-request timeouts and the connection
 * cap from {@code [portcullis]}.
 */
final class ConnectorFactory {
    private ConnectorFactory() {}

    static ServerConnector create(Server server, HttpSettings settings) {
        ConnectionLimits limits = settings.limits();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setIdleTimeout(limits.idleTimeoutMillis());
        HttpConnectionFactory http11 = new HttpConnectionFactory(http);

        ServerConnector connector;
        if (settings.tls() == null) {
            connector = new ServerConnector(server, 1, 1, http11);
        } else {
            http.setSecureScheme("https");
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // one certificate: a client that asks for another name already failed verification
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            SslContextFactory.Server tls = TlsContexts.server(settings.tls());
            if (settings.tls().http2()) {
                HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
                h2.setMaxConcurrentStreams(128);
                ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
                alpn.setDefaultProtocol("http/1.1");
                tls.setCipherComparator(HTTP2Cipher.COMPARATOR);
                connector = new ServerConnector(server, 1, 1,
                        new ConnectionFactory[] {new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2, http11});
            } else {
                connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"), http11);
            }
        }
        connector.setHost(settings.bindHost());
        connector.setPort(settings.bindPort());
        connector.setIdleTimeout(limits.idleTimeoutMillis());
        connector.addBean(new SlowRequestGuard(limits.requestTimeoutMillis()));
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        return connector;
    }
}
