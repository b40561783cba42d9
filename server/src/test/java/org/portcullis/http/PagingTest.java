package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagingTest {
    private static Paging of(String limit, String offset) {
        Map<String, String> q = new HashMap<>();
        if (limit != null) {
            q.put("limit", limit);
        }
        if (offset != null) {
            q.put("offset", offset);
        }
        return Paging.of(q);
    }

    @Test
    void barbicansCleaningNeverFails() {
        assertThat(of(null, null)).isEqualTo(new Paging(10, 0));
        assertThat(of("", "")).isEqualTo(new Paging(10, 0));
        assertThat(of("abc", "xyz")).isEqualTo(new Paging(10, 0));
        assertThat(of("0", "-3")).isEqualTo(new Paging(1, 0));
        assertThat(of(" 25 ", "+7")).isEqualTo(new Paging(25, 7));
        assertThat(of("1000", "5")).isEqualTo(new Paging(100, 5));
        assertThat(of("99999999999999999999", "99999999999999999999")).isEqualTo(new Paging(100, Integer.MAX_VALUE));
        assertThat(of("2.5", "1.5")).isEqualTo(new Paging(10, 0));
    }
}
