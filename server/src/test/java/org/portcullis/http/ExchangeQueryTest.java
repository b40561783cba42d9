package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExchangeQueryTest {

    @Test
    void emptyOrMissingQueryHasNoParameters() {
        assertThat(Exchange.parseQuery(null)).isEmpty();
        assertThat(Exchange.parseQuery("")).isEmpty();
        assertThat(Exchange.parseQuery("&&")).isEmpty();
    }

    @Test
    void parsesPairsInOrder() {
        assertThat(Exchange.parseQuery("limit=5&offset=10&name=x"))
                .containsExactly(Map.entry("limit", "5"), Map.entry("offset", "10"), Map.entry("name", "x"));
    }

    @Test
    void decodesPercentAndPlus() {
        Map<String, String> q = Exchange.parseQuery("name=my%20secret+two&created=gt%3A2025-01-01T00%3A00%3A00&n%61me2=%C3%A9");
        assertThat(q).containsEntry("name", "my secret two")
                .containsEntry("created", "gt:2025-01-01T00:00:00")
                .containsEntry("name2", "é");
    }

    @Test
    void firstValueWins() {
        assertThat(Exchange.parseQuery("limit=1&limit=2")).containsExactly(Map.entry("limit", "1"));
    }

    @Test
    void keyWithoutValueIsEmptyAndValueMayContainEquals() {
        Map<String, String> q = Exchange.parseQuery("force&x=a=b&y=");
        assertThat(q).containsEntry("force", "").containsEntry("x", "a=b").containsEntry("y", "");
    }

    @Test
    void malformedEscapeIs400() {
        assertThatThrownBy(() -> Exchange.parseQuery("name=%zz"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.description()).isEqualTo("Malformed query string.");
                });
    }
}
