package org.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UrlCredentialsTest {
    @Test
    void userAndPasswordArePercentDecodedAndThePasswordMayHoldAColon() {
        assertThat(UrlCredentials.of(URI.create("postgresql://bar%40bican:p%2Fw:x@db:5432/barbican")))
                .isEqualTo(new UrlCredentials("bar@bican", "p/w:x"));
    }

    @Test
    void aMissingPasswordOrUserInfoIsNull() {
        assertThat(UrlCredentials.of(URI.create("postgresql://barbican@db/barbican")))
                .isEqualTo(new UrlCredentials("barbican", null));
        assertThat(UrlCredentials.of(URI.create("postgresql://db/barbican"))).isEqualTo(new UrlCredentials(null, null));
    }
}
