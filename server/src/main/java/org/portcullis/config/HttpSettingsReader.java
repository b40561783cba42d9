package org.portcullis.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.portcullis.config.PortcullisConfig.ConnectionLimits;
import org.portcullis.config.PortcullisConfig.HttpSettings;
import org.portcullis.config.PortcullisConfig.TlsSettings;

/**
 * Reads the listening side of {@code [portcullis]}: address, HTTPS, connection limits and the
 * per-project rate limit. Refuses plain HTTP on an address other hosts can reach unless
 * {@code allow_insecure_http = true} says that is intended (a TLS-terminating proxy in front):
 * tokens and secret payloads would otherwise cross the network in clear.
 */
final class HttpSettingsReader {
    private static final String S = "portcullis";

    private HttpSettingsReader() {}

    static HttpSettings read(ConfigLoader.Reader r, Path baseDir) {
        String bindHost = r.string(S, "bind_host", r.string("DEFAULT", "bind_host", "127.0.0.1"));
        int bindPort = r.integer(S, "bind_port", r.integer("DEFAULT", "bind_port", 9311, 0, 65535), 0, 65535);

        TlsSettings tls = tls(r, baseDir);
        boolean allowInsecure = r.bool(S, "allow_insecure_http", false);
        if (tls == null && !allowInsecure && !isLoopback(bindHost)) {
            String key = r.has(S, "bind_host") || !r.has("DEFAULT", "bind_host") ? S : "DEFAULT";
            throw r.invalid(key, "bind_host", "= " + bindHost + " serves plain HTTP to the network, where tokens "
                    + "and secrets would travel in clear; set [portcullis] tls_cert_file and tls_key_file, or, "
                    + "behind a TLS-terminating proxy, [portcullis] allow_insecure_http = true");
        }

        // Barbican's max_header_line limits one header line; Jetty limits all headers together,
        // so a larger line setting raises the total rather than lowering it.
        int defaultHeaderBytes = Math.max(ConnectionLimits.DEFAULTS.maxHeaderBytes(),
                r.integer("DEFAULT", "max_header_line", 0, 1, 1 << 20));
        ConnectionLimits limits = new ConnectionLimits(
                r.integer(S, "max_header_bytes", defaultHeaderBytes, 1024, 1 << 20),
                1000L * r.integer(S, "idle_timeout_seconds", seconds(ConnectionLimits.DEFAULTS.idleTimeoutMillis()), 1, 3600),
                1000L * r.integer(S, "request_timeout_seconds", seconds(ConnectionLimits.DEFAULTS.requestTimeoutMillis()), 1, 3600),
                r.integer(S, "max_connections", ConnectionLimits.DEFAULTS.maxConnections(), 1, 1_000_000));

        double rate = rate(r);
        int burst = r.integer(S, "rate_limit_burst", (int) Math.max(1, Math.ceil(rate)), 1, 1_000_000);
        return new HttpSettings(bindHost, bindPort, tls, allowInsecure, limits, rate, burst,
                r.bool("oslo_middleware", "enable_proxy_headers_parsing", false));
    }

    private static TlsSettings tls(ConfigLoader.Reader r, Path baseDir) {
        Path cert = r.path(S, "tls_cert_file", baseDir, null);
        Path key = r.path(S, "tls_key_file", baseDir, null);
        Path clientCa = r.path(S, "tls_client_ca_file", baseDir, null);
        if (cert == null && key == null) {
            for (String k : new String[] {"tls_client_ca_file", "http2"}) {
                if (r.has(S, k)) {
                    throw r.invalid(S, k, "needs HTTPS: set tls_cert_file and tls_key_file");
                }
            }
            return null;
        }
        if (cert == null || key == null) {
            throw r.invalid(S, cert == null ? "tls_key_file" : "tls_cert_file",
                    "needs its pair: set both tls_cert_file and tls_key_file");
        }
        requireFile(r, "tls_cert_file", cert);
        requireFile(r, "tls_key_file", key);
        if (clientCa != null) {
            requireFile(r, "tls_client_ca_file", clientCa);
        }
        // the private key is the server's identity: whoever reads it can impersonate the server
        FilePermissions.requireOwnerOnly(key, "the TLS private key ([portcullis] tls_key_file)", "600");
        return new TlsSettings(cert, key, clientCa, r.bool(S, "http2", false));
    }

    private static void requireFile(ConfigLoader.Reader r, String key, Path file) {
        if (!Files.isRegularFile(file)) {
            throw r.invalid(S, key, "names " + file + ", which does not exist or is not a file");
        }
    }

    /** {@code N}, {@code N/s} or {@code N/min}; 0 turns the limit off. */
    private static double rate(ConfigLoader.Reader r) {
        String v = r.string(S, "rate_limit_per_project", null);
        if (v == null) {
            return 0;
        }
        String text = v.strip().toLowerCase(Locale.ROOT);
        double divisor = 1;
        if (text.endsWith("/s")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("/min")) {
            text = text.substring(0, text.length() - 4);
            divisor = 60;
        }
        try {
            double n = Double.parseDouble(text.strip());
            if (!(n >= 0) || n > 1_000_000 || Double.isInfinite(n)) {
                throw r.invalid(S, "rate_limit_per_project", "must be between 0 and 1000000, got '" + v + "'");
            }
            return n / divisor;
        } catch (NumberFormatException e) {
            throw r.invalid(S, "rate_limit_per_project", "expected requests per second (N or N/s) or per minute "
                    + "(N/min), got '" + v + "'");
        }
    }

    private static int seconds(long millis) {
        return (int) (millis / 1000);
    }

    /** True when every address {@code host} names is a loopback address. */
    static boolean isLoopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
