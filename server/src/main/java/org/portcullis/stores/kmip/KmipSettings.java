package org.portcullis.stores.kmip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.portcullis.config.FilePermissions;
import org.portcullis.config.StoreOptions;
import org.portcullis.kmip.Credential;
import org.portcullis.kmip.KmipClientConfig;
import org.portcullis.kmip.PemTls;

/**
 * The options of a {@code kmip_plugin} store, as Barbican's {@code [kmip_plugin]} section spells
 * them: {@code host} (default localhost), {@code port} (5696), {@code username}/{@code password}
 * (optional, sent as a KMIP Credential in every request header), {@code certfile},
 * {@code keyfile}, {@code ca_certs} (PEM; all three required: the server authenticates the
 * client by its certificate), {@code ssl_version} (Python's names, default PROTOCOL_TLSv1_2;
 * anything below TLS 1.2 is refused), {@code pkcs1_only} and {@code plugin_name} (accepted for
 * compatibility; they concern asymmetric key formats and display names Portcullis does not use).
 * Portcullis' own: {@code pool_size} (default 8, the most TLS connections open to the server) and
 * {@code verify_hostname} (default True: the server certificate must name {@code host}).
 *
 * <p>The key file must be readable by its owner only (0400 or 0600): it is the identity that owns
 * every secret on the KMIP server.
 */
public record KmipSettings(KmipClientConfig client, String pluginName) {
    public static KmipSettings fromOptions(StoreOptions o) {
        String host = o.string("host", "localhost");
        int port = o.integer("port", 5696, 1, 65535);
        Path cert = file(o, "certfile");
        Path key = file(o, "keyfile");
        Path ca = file(o, "ca_certs");
        FilePermissions.requireOwnerOnly(key, "the KMIP client private key (" + o.origin("keyfile") + ")");
        List<String> protocols = protocols(o);
        o.bool("pkcs1_only", false); // validated for typos, otherwise unused: see the class comment
        KmipClientConfig config;
        try {
            config = KmipClientConfig.of(host, port, PemTls.context(cert, key, ca)).withTlsProtocols(protocols)
                    .withPoolSize(o.integer("pool_size", 8, 1, 256))
                    .withVerifyHostname(o.bool("verify_hostname", true));
        } catch (IllegalArgumentException e) {
            throw o.invalid("certfile", "/ keyfile / ca_certs cannot be used: " + e.getMessage());
        }
        if (o.has("username")) {
            config = config.withCredential(new Credential(o.required("username"), o.string("password").orElse(null)));
        } else if (o.has("password")) {
            throw o.invalid("password", "is set but username is not; KMIP sends them together as one Credential");
        }
        return new KmipSettings(config, o.string("plugin_name", "KMIP HSM"));
    }

    private static Path file(StoreOptions o, String key) {
        Path p = o.path(key).orElseThrow(() -> o.invalid(key, "is required: PEM files for mutual TLS (certfile, "
                + "keyfile, ca_certs)"));
        if (!Files.isRegularFile(p)) {
            throw o.invalid(key, "names " + p + ", which does not exist or is not a file");
        }
        return p;
    }

    /**
     * Python's {@code ssl} protocol names (Barbican passes them to PyKMIP) to JSSE protocols.
     * PROTOCOL_TLS / _CLIENT / SSLv23 mean "the best both sides speak": TLS 1.2 or 1.3 here.
     */
    static List<String> protocols(StoreOptions o) {
        String v = o.string("ssl_version", "PROTOCOL_TLSv1_2").strip();
        return switch (v.toUpperCase(Locale.ROOT).replace('.', '_')) {
            case "PROTOCOL_TLSV1_2", "TLSV1_2" -> List.of("TLSv1.2");
            case "PROTOCOL_TLSV1_3", "TLSV1_3" -> List.of("TLSv1.3");
            case "PROTOCOL_TLS", "PROTOCOL_TLS_CLIENT", "PROTOCOL_SSLV23" -> List.of("TLSv1.2", "TLSv1.3");
            case "PROTOCOL_TLSV1", "PROTOCOL_TLSV1_1", "PROTOCOL_SSLV3", "PROTOCOL_SSLV2", "TLSV1", "TLSV1_1" ->
                    throw o.invalid("ssl_version", "'" + v + "' is older than TLS 1.2 and refused; use PROTOCOL_TLSv1_2 "
                            + "or PROTOCOL_TLS");
            default -> throw o.invalid("ssl_version", "'" + v + "' is not known; use PROTOCOL_TLSv1_2, PROTOCOL_TLSv1_3 "
                    + "or PROTOCOL_TLS");
        };
    }

    /** For messages: where this store's server is. */
    public String address() {
        return client.address();
    }

}
