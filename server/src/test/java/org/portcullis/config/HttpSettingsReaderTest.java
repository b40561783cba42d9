package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.PortcullisConfig.ConnectionLimits;
import org.portcullis.config.PortcullisConfig.HttpSettings;

class HttpSettingsReaderTest {
    private static final String KEK = "[simple_crypto_plugin]\nkek_file = /etc/portcullis/kek\n";

    @TempDir
    Path dir;

    private HttpSettings load(String text) {
        return ConfigLoader.from(IniFile.parse("barbican.conf", (text + KEK).lines().toList()), dir).http();
    }

    @Test
    void defaultsArePlainHttpOnLoopbackWithLimitsAndNoRateLimit() {
        HttpSettings h = load("");
        assertThat(h.tls()).isNull();
        assertThat(h.scheme()).isEqualTo("http");
        assertThat(h.loopback()).isTrue();
        assertThat(h.limits()).isEqualTo(ConnectionLimits.DEFAULTS);
        assertThat(h.limits().maxHeaderBytes()).isEqualTo(16 * 1024);
        assertThat(h.rateLimitPerProject()).isZero();
    }

    @Test
    void plainHttpOnANonLoopbackAddressNeedsAllowInsecureHttp() {
        assertThatThrownBy(() -> load("[portcullis]\nbind_host = 0.0.0.0\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("barbican.conf:2: [portcullis] bind_host = 0.0.0.0 serves plain HTTP")
                .hasMessageContaining("allow_insecure_http = true");
        assertThatThrownBy(() -> load("[DEFAULT]\nbind_host = 0.0.0.0\n"))
                .hasMessageContaining("[DEFAULT] bind_host");
        HttpSettings allowed = load("[portcullis]\nbind_host = 0.0.0.0\nallow_insecure_http = true\n");
        assertThat(allowed.allowInsecureHttp()).isTrue();
        assertThat(allowed.loopback()).isFalse();
        assertThat(load("[portcullis]\nbind_host = localhost\n").loopback()).isTrue();
        assertThat(load("[portcullis]\nbind_host = ::1\n").loopback()).isTrue();
        assertThat(load("[portcullis]\nbind_host = 127.0.0.2\n").loopback()).isTrue();
    }

    @Test
    void tlsNeedsBothFilesAndAnOwnerOnlyKey() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x");
        Path key = Files.writeString(dir.resolve("key.pem"), "x");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> load("[portcullis]\ntls_cert_file = cert.pem\n"))
                .hasMessageContaining("[portcullis] tls_cert_file needs its pair");
        assertThatThrownBy(() -> load("[portcullis]\ntls_cert_file = cert.pem\ntls_key_file = nope.pem\n"))
                .hasMessageContaining("barbican.conf:3: [portcullis] tls_key_file names " + dir.resolve("nope.pem"));
        assertThatThrownBy(() -> load("[portcullis]\ntls_cert_file = cert.pem\ntls_key_file = key.pem\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("TLS private key")
                .hasMessageContaining("mode 0644")
                .hasMessageContaining("chmod 600 " + key);
        assertThatThrownBy(() -> load("[portcullis]\nhttp2 = true\n")).hasMessageContaining("http2 needs HTTPS");

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        HttpSettings h = load("[portcullis]\nbind_host = 0.0.0.0\ntls_cert_file = cert.pem\ntls_key_file = " + key
                + "\nhttp2 = true\n");
        assertThat(h.scheme()).isEqualTo("https");
        assertThat(h.tls().certFile()).isEqualTo(cert);
        assertThat(h.tls().keyFile()).isEqualTo(key);
        assertThat(h.tls().http2()).isTrue();
        assertThat(h.tls().clientCaFile()).isNull();
    }

    @Test
    void limitsAreConfigurableAndBarbicansMaxHeaderLineRaisesTheHeaderLimit() {
        HttpSettings h = load("[portcullis]\nmax_header_bytes = 8192\nidle_timeout_seconds = 5\n"
                + "request_timeout_seconds = 7\nmax_connections = 10\n");
        assertThat(h.limits()).isEqualTo(new ConnectionLimits(8192, 5_000, 7_000, 10));
        assertThat(load("[DEFAULT]\nmax_header_line = 32768\n").limits().maxHeaderBytes()).isEqualTo(32768);
        assertThat(load("[DEFAULT]\nmax_header_line = 8192\n").limits().maxHeaderBytes()).isEqualTo(16384);
        assertThat(load("[DEFAULT]\nmax_header_line = 32768\n[portcullis]\nmax_header_bytes = 4096\n")
                .limits().maxHeaderBytes()).isEqualTo(4096);
        assertThatThrownBy(() -> load("[portcullis]\nrequest_timeout_seconds = 0\n"))
                .hasMessageContaining("[portcullis] request_timeout_seconds must be between 1 and 3600");
    }

    @Test
    void rateLimitAcceptsPerSecondAndPerMinute() {
        assertThat(load("[portcullis]\nrate_limit_per_project = 20\n").rateLimitPerProject()).isEqualTo(20);
        HttpSettings perSecond = load("[portcullis]\nrate_limit_per_project = 2.5/s\n");
        assertThat(perSecond.rateLimitPerProject()).isEqualTo(2.5);
        assertThat(perSecond.rateLimitBurst()).as("default burst: one second's worth").isEqualTo(3);
        HttpSettings perMinute = load("[portcullis]\nrate_limit_per_project = 120/min\nrate_limit_burst = 10\n");
        assertThat(perMinute.rateLimitPerProject()).isEqualTo(2.0);
        assertThat(perMinute.rateLimitBurst()).isEqualTo(10);
        assertThat(load("[portcullis]\nrate_limit_per_project = 0\n").rateLimitPerProject()).isZero();
        assertThatThrownBy(() -> load("[portcullis]\nrate_limit_per_project = fast\n"))
                .hasMessageContaining("[portcullis] rate_limit_per_project expected requests per second");
        assertThatThrownBy(() -> load("[portcullis]\nrate_limit_per_project = -1\n"))
                .hasMessageContaining("must be between 0 and 1000000");
    }
}
