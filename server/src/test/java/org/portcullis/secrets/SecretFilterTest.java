package org.portcullis.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.portcullis.secrets.SecretRequestsTest.assertStatus;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.portcullis.secrets.SecretFilter.SortKey;
import org.portcullis.secrets.SecretFilter.TimeCondition;

/** The secrets list's query parameters read into a {@link SecretFilter}: paging, filters, sorting, time ranges. */
class SecretFilterTest {
    private static SecretFilter filter(String... pairs) {
        Map<String, String> q = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.put(pairs[i], pairs[i + 1]);
        }
        return SecretRequests.filter(q);
    }

    @Test
    void limitIsClamped() {
        assertThat(filter().limit()).isEqualTo(10);
        assertThat(filter("limit", "").limit()).isEqualTo(10);
        assertThat(filter("limit", "25").limit()).isEqualTo(25);
        assertThat(filter("limit", "0").limit()).isEqualTo(1);
        assertThat(filter("limit", "-5").limit()).isEqualTo(1);
        assertThat(filter("limit", "100").limit()).isEqualTo(100);
        assertThat(filter("limit", "101").limit()).isEqualTo(100);
        assertThat(filter("limit", "abc").limit()).isEqualTo(10);
        assertThat(filter("limit", "99999999999").limit()).as("Python's int() reads it; then clamped").isEqualTo(100);
    }

    @Test
    void offsetIsNeverNegative() {
        assertThat(filter().offset()).isZero();
        assertThat(filter("offset", "30").offset()).isEqualTo(30);
        assertThat(filter("offset", "-1").offset()).isZero();
        assertThat(filter("offset", "x").offset()).isZero();
    }

    @Test
    void equalityFilters() {
        SecretFilter f = filter("name", "db", "alg", "aes", "mode", "cbc", "bits", "256", "secret_type", "symmetric");
        assertThat(f.name()).isEqualTo("db");
        assertThat(f.algorithm()).isEqualTo("aes");
        assertThat(f.mode()).isEqualTo("cbc");
        assertThat(f.bits()).isEqualTo(256);
        assertThat(f.secretType()).isEqualTo("symmetric");

        SecretFilter none = filter("name", " ", "bits", "0");
        assertThat(none.name()).isNull();
        assertThat(none.bits()).isNull();
        assertThat(filter("bits", "many").bits()).isNull();
    }

    @Test
    void sortParsing() {
        assertThat(filter().sort()).isEmpty();
        assertThat(filter("sort", "created:desc,name").sort())
                .containsExactly(new SortKey("created_at", true), new SortKey("name", false));
        assertThat(filter("sort", "updated:asc, bit_length:desc").sort())
                .containsExactly(new SortKey("updated_at", false), new SortKey("bit_length", true));
    }

    @Test
    void invalidSortIs400() {
        for (String bad : List.of("colour", "created:down", "created:desc:x", "name,name", "created:", "secret_id")) {
            assertStatus(() -> filter("sort", bad), 400).as(bad);
        }
    }

    @Test
    void createdRange() {
        SecretFilter f = filter("created", "gt:2025-01-01T00:00:00,lt:2025-02-01T00:00:00Z");
        assertThat(f.timeRanges()).containsExactly(
                new TimeCondition("created_at", ">", Instant.parse("2025-01-01T00:00:00Z").toEpochMilli()),
                new TimeCondition("created_at", "<", Instant.parse("2025-02-01T00:00:00Z").toEpochMilli()));
    }

    @Test
    void timeOperatorsAndColumns() {
        long t = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
        assertThat(filter("updated", "gte:2025-01-01").timeRanges())
                .containsExactly(new TimeCondition("updated_at", ">=", t));
        assertThat(filter("expiration", "lte:2025-01-01").timeRanges())
                .containsExactly(new TimeCondition("expiration", "<=", t));
        assertThat(filter("created", "2025-01-01T00:00:00").timeRanges())
                .containsExactly(new TimeCondition("created_at", "=", t));
    }

    @Test
    void invalidTimeCombinationsAre400() {
        for (String bad : List.of("gt:2025-01-01,gte:2025-01-02", "lt:2025-01-01,lte:2025-01-02",
                "2025-01-01,gt:2025-01-02", "gt:2025-01-01,2025-01-02", "2025-01-01,2025-01-02",
                "gt:yesterday", "nonsense")) {
            assertStatus(() -> filter("created", bad), 400).as(bad);
        }
    }
}
