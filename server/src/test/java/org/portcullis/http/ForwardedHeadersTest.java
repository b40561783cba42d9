package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.portcullis.http.ForwardedHeaders.Origin;

class ForwardedHeadersTest {
    @Test
    void xForwardedProtoAndHost() {
        assertThat(ForwardedHeaders.read(null, "https", "kms.example.org", null))
                .isEqualTo(new Origin("https", "kms.example.org", null));
        assertThat(ForwardedHeaders.read(null, "HTTPS, http", "kms.example.org:8443, 10.0.0.1", null))
                .isEqualTo(new Origin("https", "kms.example.org:8443", null));
    }

    @Test
    void rfc7239ForwardedWinsAndItsFirstElementCounts() {
        assertThat(ForwardedHeaders.read("for=192.0.2.60;proto=https;host=\"kms.example.org\", for=10.0.0.2;proto=http",
                "http", "other.example.org", null)).isEqualTo(new Origin("https", "kms.example.org", null));
        assertThat(ForwardedHeaders.read("For=192.0.2.60;Proto=https", null, null, null))
                .isEqualTo(new Origin("https", null, null));
        assertThat(ForwardedHeaders.read("host=[2001:db8::1]:9311", null, null, null).host())
                .isEqualTo("[2001:db8::1]:9311");
    }

    @Test
    void aPrefixIsAPathWithoutItsTrailingSlash() {
        assertThat(ForwardedHeaders.read(null, null, null, "/key-manager/").prefix()).isEqualTo("/key-manager");
    }

    @Test
    void valuesThatAreNotASchemeHostOrPathAreIgnored() {
        assertThat(ForwardedHeaders.read(null, "javascript", "evil.example.org/phish", "//evil"))
                .isEqualTo(Origin.NONE);
        assertThat(ForwardedHeaders.read(null, "https", "user@evil.example.org", "/a b").host()).isNull();
        assertThat(ForwardedHeaders.read(null, null, "kms.example.org:99999999", null).host()).isNull();
        assertThat(ForwardedHeaders.read("", null, null, null)).isEqualTo(Origin.NONE);
    }
}
