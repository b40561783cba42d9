package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.portcullis.testing.TestCertificates;
import org.portcullis.testing.TestCertificates.ProcessResult;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * A node serving HTTPS from openssl-made PEM files, driven by real TLS clients: the JDK's
 * HttpClient, curl, openssl s_client and the barbican CLI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {
    private TestCertificates certs;
    private TestServer server;
    private Path work;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("portcullis-tls");
        certs = TestCertificates.create(work.resolve("pki"));
        server = TestServer.start(TestDatabases.Kind.SQLITE, certs.serverConfig("http2 = true"));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    private int port() {
        return server.app().port();
    }

    private HttpClient client(String protocol, HttpClient.Version version) throws Exception {
        SSLContext ctx = certs.clientContext();
        SSLParameters params = ctx.getDefaultSSLParameters();
        params.setProtocols(new String[] {protocol});
        return HttpClient.newBuilder().sslContext(ctx).sslParameters(params).version(version)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void javaClientStoresAndReadsASecret(String protocol) throws Exception {
        HttpClient client = client(protocol, HttpClient.Version.HTTP_1_1);
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/v1/secrets"))
                .header("X-Project-Id", "p1").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"payload\": \"over " + protocol + "\", "
                        + "\"payload_content_type\": \"text/plain\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.sslSession()).isPresent();
        assertThat(created.sslSession().get().getProtocol()).isEqualTo(protocol);
        // hrefs follow the request's scheme when host_href is not set
        String ref = Json.parse(created.body().getBytes()).get("secret_ref").asText();
        assertThat(ref).startsWith("https://127.0.0.1:" + port() + "/v1/secrets/");

        HttpResponse<String> payload = client.send(HttpRequest.newBuilder(URI.create(ref + "/payload"))
                .header("X-Project-Id", "p1").header("Accept", "text/plain").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(payload.statusCode()).isEqualTo(200);
        assertThat(payload.body()).isEqualTo("over " + protocol);
    }

    @Test
    void negotiatesOnlyForwardSecretAeadSuitesOnTls12() throws Exception {
        HttpResponse<String> r = client("TLSv1.2", HttpClient.Version.HTTP_1_1).send(
                HttpRequest.newBuilder(URI.create(server.url() + "/")).GET().build(), HttpResponse.BodyHandlers.ofString());
        String suite = r.sslSession().orElseThrow().getCipherSuite();
        assertThat(suite).matches("TLS_(ECDHE|DHE)_.*_(GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)");
    }

    @Test
    void http2IsNegotiatedByAlpn() throws Exception {
        HttpResponse<String> r = client("TLSv1.3", HttpClient.Version.HTTP_2).send(
                HttpRequest.newBuilder(URI.create(server.url() + "/v1/secrets")).header("X-Project-Id", "p-h2").GET()
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void opensslClientOfferingOnlyTls11IsRefusedByTheServer() throws Exception {
        for (String version : List.of("-tls1_1", "-tls1")) {
            // SECLEVEL=0 lets this client really offer the old protocol, so the refusal is the server's
            ProcessResult r = TestCertificates.exec(work, List.of("openssl", "s_client", "-connect",
                    "127.0.0.1:" + port(), version, "-cipher", "DEFAULT:@SECLEVEL=0", "-CAfile",
                    certs.caCert().toString()), "", 30);
            assertThat(r.exit()).as(r.output()).isNotZero();
            assertThat(r.output()).as(version).contains("alert protocol version");
        }
        ProcessResult ok = TestCertificates.exec(work, List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + port(), "-tls1_2", "-CAfile", certs.caCert().toString(), "-verify_return_error"), "", 30);
        assertThat(ok.output()).contains("Verify return code: 0 (ok)").contains("Protocol  : TLSv1.2");
    }

    @Test
    void curlWithTheCaSucceedsAndCurlLimitedToTls11Fails() throws Exception {
        ProcessResult ok = TestCertificates.exec(work, List.of("curl", "-sS", "--fail", "--cacert",
                certs.caCert().toString(), "-H", "X-Project-Id: p-curl", "-H", "Content-Type: application/json",
                "-d", "{\"payload\": \"from curl\", \"payload_content_type\": \"text/plain\"}",
                server.url() + "/v1/secrets"), null, 30);
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("\"secret_ref\":\"https://127.0.0.1:" + port() + "/v1/secrets/");

        ProcessResult h2 = TestCertificates.exec(work, List.of("curl", "-sS", "--fail", "--http2", "-o", "/dev/null",
                "-w", "%{http_version}", "--cacert", certs.caCert().toString(), "-H", "X-Project-Id: p-curl",
                server.url() + "/v1/secrets"), null, 30);
        assertThat(h2.output()).as("curl --http2").isEqualTo("2");

        ProcessResult old = TestCertificates.exec(work, List.of("curl", "-sS", "--tlsv1.1", "--tls-max", "1.1",
                "--ciphers", "DEFAULT:@SECLEVEL=0", "--cacert", certs.caCert().toString(), server.url() + "/"),
                null, 30);
        assertThat(old.exit()).as(old.output()).isEqualTo(35); // CURLE_SSL_CONNECT_ERROR
        assertThat(old.output()).contains("protocol version");

        ProcessResult untrusted = TestCertificates.exec(work, List.of("curl", "-sS", server.url() + "/"), null, 30);
        assertThat(untrusted.exit()).as("a client that does not trust the test CA").isEqualTo(60);
    }

    @Test
    void barbicanCliWorksOverTls() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/barbican")) || isRequired(),
                "the barbican CLI is not installed (scripts/install-deps.sh installs it)");
        List<String> base = List.of("barbican", "--no-auth", "--endpoint", server.url(), "--os-project-id", "p-cli",
                "--os-cacert", certs.caCert().toString());
        // barbican --no-auth ignores --os-cacert (python-barbicanclient builds its session with
        // verify=True only); requests then reads the CA bundle from REQUESTS_CA_BUNDLE
        Map<String, String> env = Map.of("REQUESTS_CA_BUNDLE", certs.caCert().toString());
        ProcessResult stored = TestCertificates.exec(work, concat(base, "secret", "store", "--payload", "via cli",
                "-f", "value", "-c", "Secret href"), env, null, 120);
        assertThat(stored.exit()).as(stored.output()).isZero();
        String href = stored.output().lines().filter(l -> l.startsWith("https://")).findFirst().orElseThrow(
                () -> new AssertionError("no href in: " + stored.output()));
        ProcessResult got = TestCertificates.exec(work, concat(base, "secret", "get", "--payload", "-f", "value",
                href), env, null, 120);
        assertThat(got.exit()).as(got.output()).isZero();
        assertThat(got.output().strip()).endsWith("via cli");

        // without the CA the client refuses the server
        ProcessResult refused = TestCertificates.exec(work, concat(base, "secret", "list"), null, 120);
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.output()).contains("CERTIFICATE_VERIFY_FAILED");
    }

    @Test
    void plainHttpToTheTlsPortGetsNoAnswer() throws Exception {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/v1/secrets"))
                .header("X-Project-Id", "p1").timeout(Duration.ofSeconds(10)).GET().build();
        assertThatThrownBy(() -> plain.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void mutualTlsRequiresAClientCertificateFromTheConfiguredCa() throws Exception {
        Path dir = Files.createTempDirectory("portcullis-mtls");
        try (TestServer mtls = TestServer.start(TestDatabases.Kind.SQLITE,
                certs.serverConfig("tls_client_ca_file = " + certs.caCert()))) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(mtls.url() + "/v1/secrets"))
                    .header("X-Project-Id", "p1").GET().build();
            HttpClient withCert = HttpClient.newBuilder().sslContext(certs.clientContextWithCertificate()).build();
            assertThat(withCert.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            HttpClient withoutCert = HttpClient.newBuilder().sslContext(certs.clientContext()).build();
            assertThatThrownBy(() -> withoutCert.send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);

            ProcessResult curl = TestCertificates.exec(dir, List.of("curl", "-sS", "--fail", "--cacert",
                    certs.caCert().toString(), "--cert", certs.clientCert().toString(), "--key",
                    certs.clientKey().toString(), "-H", "X-Project-Id: p1", mtls.url() + "/v1/secrets"), null, 30);
            assertThat(curl.exit()).as(curl.output()).isZero();
            JsonNode body = Json.parse(curl.output().getBytes());
            assertThat(body.has("secrets")).isTrue();
        }
    }

    private static boolean isRequired() {
        return "true".equals(System.getenv("CI")) || "1".equals(System.getenv("PORTCULLIS_REQUIRE_SERVICES"));
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }
}
