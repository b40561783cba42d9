package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MicroversionTest {

    @Test
    void missingHeaderIsOneDotZero() {
        assertThat(Microversion.fromHeader(null)).isEqualTo(new Microversion(1, 0));
    }

    @Test
    void explicitVersionsInRange() {
        assertThat(Microversion.fromHeader("key-manager 1.0")).isEqualTo(new Microversion(1, 0));
        assertThat(Microversion.fromHeader("key-manager 1.1")).isEqualTo(new Microversion(1, 1));
        assertThat(Microversion.fromHeader("key-manager 1.2")).isEqualTo(new Microversion(1, 2));
    }

    @Test
    void latestIsTheMaximum() {
        assertThat(Microversion.fromHeader("key-manager latest")).isEqualTo(new Microversion(1, 2));
        assertThat(Microversion.fromHeader("Key-Manager LATEST")).isEqualTo(Microversion.MAX);
    }

    @Test
    void otherServicesAreIgnored() {
        assertThat(Microversion.fromHeader("compute 2.79")).isEqualTo(Microversion.DEFAULT);
        assertThat(Microversion.fromHeader("compute 2.79, key-manager 1.1")).isEqualTo(new Microversion(1, 1));
        assertThat(Microversion.fromHeader("volume 3.0,key-manager   1.2")).isEqualTo(new Microversion(1, 2));
    }

    @Test
    void garbageWithoutTheServiceIsTheDefault() {
        assertThat(Microversion.fromHeader("")).isEqualTo(Microversion.DEFAULT);
        assertThat(Microversion.fromHeader("garbage")).isEqualTo(Microversion.DEFAULT);
        assertThat(Microversion.fromHeader("1.1")).isEqualTo(Microversion.DEFAULT);
    }

    @Test
    void versionAboveTheMaximumIs406() {
        assertThatThrownBy(() -> Microversion.fromHeader("key-manager 1.5"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(406);
                    assertThat(e.description()).contains("1.5").contains("1.0").contains("1.2");
                });
        assertThatThrownBy(() -> Microversion.fromHeader("key-manager 2.0"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(406));
    }

    @Test
    void versionBelowTheMinimumIs406() {
        assertThatThrownBy(() -> Microversion.fromHeader("key-manager 0.9"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(406));
    }

    @Test
    void unparsableKeyManagerVersionIs406() {
        for (String bad : new String[] {"key-manager one.two", "key-manager 1", "key-manager 1.", "key-manager .1",
                "key-manager 1.1.1", "key-manager 1.x"}) {
            assertThatThrownBy(() -> Microversion.fromHeader(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(406));
        }
    }

    @Test
    void comparisonAndAtLeast() {
        Microversion v11 = new Microversion(1, 1);
        assertThat(v11.atLeast(1, 1)).isTrue();
        assertThat(v11.atLeast(1, 0)).isTrue();
        assertThat(v11.atLeast(1, 2)).isFalse();
        assertThat(new Microversion(2, 0)).isGreaterThan(new Microversion(1, 10));
        assertThat(new Microversion(1, 10)).isGreaterThan(new Microversion(1, 2));
        assertThat(v11).hasToString("1.1");
    }
}
