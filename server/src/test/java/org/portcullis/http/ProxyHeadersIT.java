package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.portcullis.testing.Api;
import org.portcullis.testing.TestDatabases;
import org.portcullis.testing.TestServer;

/**
 * A node behind a TLS-terminating proxy: with {@code [oslo_middleware]
 * enable_proxy_headers_parsing = True} hrefs name the proxy's scheme and host; without it (the
 * default) the headers change nothing; {@code host_href} beats both, as in Barbican.
 */
class ProxyHeadersIT {
    private static final String[] PROXY = {"X-Forwarded-Proto", "https", "X-Forwarded-Host", "kms.example.org"};

    private static String selfHref(Api api, String... headers) {
        return api.get("/", headers).json().path("versions").path("values").get(0).path("links").get(0)
                .path("href").asText();
    }

    private static String secretRef(Api api, String... headers) {
        return api.postJson("/v1/secrets", "{\"name\": \"behind a proxy\"}", headers).json().path("secret_ref").asText();
    }

    @Test
    void parsingOnHrefsFollowTheProxy() throws Exception {
        try (TestServer node = TestServer.start(TestDatabases.Kind.SQLITE,
                List.of("[oslo_middleware]", "enable_proxy_headers_parsing = True"))) {
            Api api = new Api(node.url(), "proxy-p1");
            assertThat(secretRef(api, PROXY)).startsWith("https://kms.example.org/v1/secrets/");
            assertThat(selfHref(api, "Forwarded", "for=192.0.2.60;proto=https;host=kms.example.org:8443"))
                    .isEqualTo("https://kms.example.org:8443/v1/");
            assertThat(selfHref(api, "X-Forwarded-Proto", "https", "X-Forwarded-Host", "kms.example.org",
                    "X-Forwarded-Prefix", "/key-manager")).isEqualTo("https://kms.example.org/key-manager/v1/");
            // a proxy that only says the scheme keeps the request's host
            assertThat(selfHref(api, "X-Forwarded-Proto", "https"))
                    .isEqualTo(node.url().replace("http://", "https://") + "/v1/");
            assertThat(selfHref(api)).isEqualTo(node.url() + "/v1/");
        }
    }

    @Test
    void parsingOffByDefaultTheHeadersChangeNothing() throws Exception {
        try (TestServer node = TestServer.start(TestDatabases.Kind.SQLITE)) {
            Api api = new Api(node.url(), "proxy-p2");
            assertThat(secretRef(api, PROXY)).startsWith(node.url() + "/v1/secrets/");
            assertThat(selfHref(api, "Forwarded", "proto=https;host=kms.example.org")).isEqualTo(node.url() + "/v1/");
        }
    }

    @Test
    void hostHrefTakesPrecedence() throws Exception {
        try (TestServer node = TestServer.start(TestDatabases.Kind.SQLITE, List.of("[DEFAULT]",
                "host_href = https://barbican.example.net", "[oslo_middleware]", "enable_proxy_headers_parsing = True"))) {
            Api api = new Api(node.url(), "proxy-p3");
            assertThat(secretRef(api, PROXY)).startsWith("https://barbican.example.net/v1/secrets/");
        }
    }
}
