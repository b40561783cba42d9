package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResourceIdsTest {
    private static final String ID = "0c5b4a1e-7d8f-4a5b-9c3d-2e1f0a9b8c7d";

    @Test
    void canonicalLowerCaseUuidIsAccepted() {
        assertThat(ResourceIds.isCanonicalUuid(ID)).isTrue();
        assertThat(ResourceIds.isCanonicalUuid(UUID.randomUUID().toString())).isTrue();
        assertThat(ResourceIds.require(ID, "secret")).isEqualTo(ID);
    }

    @Test
    void correlationIdsAreCanonicalVersion4UuidsThatDoNotRepeat() {
        Set<Long> lows = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = ResourceIds.correlationId();
            assertThat(ResourceIds.isCanonicalUuid(id)).isTrue();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(lows.add(uuid.getLeastSignificantBits())).as("low half repeated: %s", id).isTrue();
        }
    }

    @Test
    void nonCanonicalFormsAreRejected() {
        assertThat(ResourceIds.isCanonicalUuid(null)).isFalse();
        assertThat(ResourceIds.isCanonicalUuid("")).isFalse();
        assertThat(ResourceIds.isCanonicalUuid(ID.toUpperCase())).isFalse();
        assertThat(ResourceIds.isCanonicalUuid(ID.replace("-", ""))).isFalse();
        assertThat(ResourceIds.isCanonicalUuid("{" + ID.substring(1, 35) + "}")).isFalse();
        assertThat(ResourceIds.isCanonicalUuid("1-1-1-1-1")).isFalse();
        assertThat(ResourceIds.isCanonicalUuid("0c5b4a1e-7d8f-4a5b-9c3d-2e1f0a9b8c7g")).isFalse();
        assertThat(ResourceIds.isCanonicalUuid("preferred")).isFalse();
    }

    @Test
    void requireThrows404NamingTheKind() {
        assertThatThrownBy(() -> ResourceIds.require("not-a-uuid", "secret"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.description()).isEqualTo("Not Found. Provided secret id is invalid.");
                });
    }

    @Test
    void acceptsExactlyWhatUuidWritesBack() {
        Random random = new Random(7);
        String alphabet = "0123456789abcdefABCDEF-g+ ";
        for (int n = 0; n < 20_000; n++) {
            char[] id = UUID.randomUUID().toString().toCharArray();
            for (int k = random.nextInt(3); k > 0; k--) {
                id[random.nextInt(36)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String s = new String(id);
            boolean canonical;
            try {
                canonical = UUID.fromString(s).toString().equals(s);
            } catch (IllegalArgumentException e) {
                canonical = false;
            }
            assertThat(ResourceIds.isCanonicalUuid(s)).as(s).isEqualTo(canonical);
        }
    }
}
