package org.portcullis.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void formatHasNoFractionWhenMillisAreZero() {
        assertThat(Timestamps.format(0)).isEqualTo("1970-01-01T00:00:00");
        assertThat(Timestamps.format(millis("2025-03-04T05:06:07Z"))).isEqualTo("2025-03-04T05:06:07");
    }

    @Test
    void formatHasMicrosecondsOtherwise() {
        assertThat(Timestamps.format(millis("2025-03-04T05:06:07.123Z"))).isEqualTo("2025-03-04T05:06:07.123000");
        assertThat(Timestamps.format(millis("2025-03-04T05:06:07.001Z"))).isEqualTo("2025-03-04T05:06:07.001000");
    }

    @Test
    void formatMatchesTheIsoFormatterEverywhere() {
        // leap day, last millisecond of a year, the first and last four-digit years, and beyond them
        for (String instant : new String[] {"2024-02-29T23:59:59.999Z", "1999-12-31T23:59:59.999Z",
                "1000-01-01T00:00:00Z", "9999-12-31T23:59:59.010Z", "0999-12-31T23:59:59Z", "+10000-01-01T00:00:00.5Z"}) {
            java.time.LocalDateTime t = java.time.LocalDateTime.ofInstant(Instant.parse(instant), java.time.ZoneOffset.UTC);
            String expected = java.time.format.DateTimeFormatter.ofPattern(t.getNano() == 0
                    ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss.SSSSSS").format(t);
            assertThat(Timestamps.format(millis(instant))).as(instant).isEqualTo(expected);
        }
    }

    @Test
    void formatIsUtcWithoutOffset() {
        // 23:30 UTC is already the next day in any zone east of UTC: the date must not move
        assertThat(Timestamps.format(millis("2025-12-31T23:30:00Z"))).isEqualTo("2025-12-31T23:30:00");
    }

    @Test
    void formatOrNullPassesNullThrough() {
        assertThat(Timestamps.formatOrNull(null)).isNull();
        assertThat(Timestamps.formatOrNull(0L)).isEqualTo("1970-01-01T00:00:00");
    }

    @Test
    void parseZulu() {
        assertThat(Timestamps.parse("2030-01-31T12:00:00Z")).isEqualTo(millis("2030-01-31T12:00:00Z"));
        assertThat(Timestamps.parse("2030-01-31T12:00:00z")).isEqualTo(millis("2030-01-31T12:00:00Z"));
    }

    @Test
    void parseOffsetIsConvertedToUtc() {
        assertThat(Timestamps.parse("2030-01-31T12:00:00+02:00")).isEqualTo(millis("2030-01-31T10:00:00Z"));
        assertThat(Timestamps.parse("2030-01-31T12:00:00-05:30")).isEqualTo(millis("2030-01-31T17:30:00Z"));
    }

    @Test
    void parseNaiveMeansUtc() {
        assertThat(Timestamps.parse("2030-01-31T12:00:00")).isEqualTo(millis("2030-01-31T12:00:00Z"));
        assertThat(Timestamps.parse("2030-01-31 12:00:00")).isEqualTo(millis("2030-01-31T12:00:00Z"));
        assertThat(Timestamps.parse("2030-01-31T12:00:00.250000")).isEqualTo(millis("2030-01-31T12:00:00.250Z"));
    }

    @Test
    void parseDateOnlyIsMidnightUtc() {
        assertThat(Timestamps.parse("2030-01-31")).isEqualTo(millis("2030-01-31T00:00:00Z"));
    }

    @Test
    void parseIgnoresSurroundingWhitespace() {
        assertThat(Timestamps.parse("  2030-01-31T12:00:00Z ")).isEqualTo(millis("2030-01-31T12:00:00Z"));
    }

    @Test
    void garbageIsNull() {
        assertThat(Timestamps.parse("garbage")).isNull();
        assertThat(Timestamps.parse("")).isNull();
        assertThat(Timestamps.parse("2030-13-01")).isNull();
        assertThat(Timestamps.parse("2030-02-30T00:00:00")).isNull();
        assertThat(Timestamps.parse("31/01/2030")).isNull();
    }

    @Test
    void formatThenParseRoundTrips() {
        long t = millis("2024-02-29T23:59:59.999Z");
        assertThat(Timestamps.parse(Timestamps.format(t))).isEqualTo(t);
    }
}
