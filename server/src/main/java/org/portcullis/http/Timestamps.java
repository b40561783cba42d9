package org.portcullis.http;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times as Barbican writes them (naive UTC ISO 8601, fraction only when non-zero) and as clients
 * send them (ISO 8601 with or without offset; naive means UTC).
 */
public final class Timestamps {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private Timestamps() {}

    public static String format(long epochMillis) {
        LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            return (t.getNano() == 0 ? SECONDS : MICROS).format(t); // signs and widths as the formatter has them
        }
        // By hand: a list writes two or three times per secret, and the formatter's generic
        // field-by-field printing cost more than the rest of a secret's JSON together.
        char[] c = new char[t.getNano() == 0 ? 19 : 26];
        digits(c, 0, t.getYear(), 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        if (c.length > 19) {
            c[19] = '.';
            digits(c, 20, t.getNano() / 1000, 6);
        }
        return new String(c);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    public static String formatOrNull(Long epochMillis) {
        return epochMillis == null ? null : format(epochMillis);
    }

    /** Epoch millis of an ISO 8601 time, or null when it does not parse. */
    public static Long parse(String text) {
        String t = text.strip();
        if (t.endsWith("Z") || t.endsWith("z")) {
            t = t.substring(0, t.length() - 1) + "+00:00";
        }
        t = t.replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException notLocal) {
                try {
                    return java.time.LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }
}
