package org.portcullis.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import org.portcullis.http.Json;

/**
 * The on-disk form of an event: one CADF JSON object per line, its last member {@code chain}
 * {@code {"seq", "prev", "key_id", "hmac"}} with {@code hmac} last of all.
 *
 * <p>The <em>canonical bytes</em> of a line are the line exactly as written, minus the
 * {@code ,"hmac":"…"} member: {@code hmac = HMAC-SHA256(key, prev hmac (32 raw bytes) || canonical
 * bytes (UTF-8))}. Because the MAC covers the bytes as written, not a re-serialisation, any edit —
 * a value, a space, the order of members — breaks it. {@code prev} of the first event of a new
 * chain is 32 zero bytes and its {@code seq} is 1.
 */
public final class AuditLine {
    static final String EVENT_TYPE_URI = "http://schemas.dmtf.org/cloud/audit/1.0/event";
    static final byte[] GENESIS = new byte[32];
    /** ISO 8601 UTC with microseconds, fixed width: {@code 2026-11-23T10:15:30.123456Z}. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final byte[] CHAIN = ascii(",\"chain\":{\"seq\":");
    private static final byte[] PREV = ascii(",\"prev\":\"");
    private static final byte[] HMAC = ascii(",\"hmac\":\"");
    private static final byte[] CLOSE = ascii("}}");
    private static final byte[] HEX = ascii("0123456789abcdef");
    private static final Pattern HMAC_MEMBER = Pattern.compile(",\"hmac\":\"([0-9a-f]{64})\"}}$");

    private AuditLine() {}

    /**
     * The event's members before its {@code chain}, as UTF-8: all of a line that does not depend
     * on its place in the chain, so each request renders its own on its own thread and the
     * trail's single writer only appends the chain ({@link #seal}). Written by hand, member by
     * member, rather than through a map for Jackson: every payload read writes one, and the maps
     * and serializer lookups cost more than the HMAC. Only {@code details}, small and of any
     * shape, goes through Jackson.
     */
    static byte[] body(AuditEvent e, String observer) {
        StringBuilder b = new StringBuilder(1024); // a payload read's line is about 860 chars: no regrowth
        b.append("{\"typeURI\":\"").append(EVENT_TYPE_URI).append('"');
        member(b, "id", e.id());
        member(b, "eventType", "activity");
        time(b.append(",\"eventTime\":\""), e.time()).append('"');
        member(b, "action", e.action().cadf());
        member(b, "outcome", e.outcome());
        if (e.reasonCode() != null) {
            b.append(",\"reason\":{\"reasonType\":\"HTTP\"");
            member(b, "reasonCode", String.valueOf(e.reasonCode()));
            b.append('}');
        }
        b.append(",\"initiator\":");
        initiator(b, e.initiator());
        b.append(",\"target\":{");
        string(b.append("\"typeURI\":"), e.targetTypeUri());
        member(b, "id", e.targetId() == null ? "unknown" : e.targetId());
        optional(b, "name", e.targetName());
        b.append("},\"observer\":{\"id\":\"target\",\"typeURI\":\"service/security/keymanager\"");
        member(b, "name", observer);
        b.append('}');
        optional(b, "requestMethod", e.method());
        optional(b, "requestPath", e.requestPath());
        optional(b, "request_id", e.requestId());
        if (!e.details().isEmpty()) {
            b.append(",\"attachments\":[{\"name\":\"details\",\"typeURI\":\"mime:application/json\",\"content\":");
            try {
                b.append(Json.MAPPER.writeValueAsString(e.details()));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("audit event not serialisable", ex);
            }
            b.append("}]");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code ,"key_id":"…"} as UTF-8: the chain's last member before the hmac, the same on every line of a key. */
    static byte[] keyIdMember(String keyId) {
        StringBuilder b = new StringBuilder();
        member(b, "key_id", keyId);
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The complete line (without its newline), in one array: {@code body}, then the chain
     * {@code {"seq", "prev", "key_id", "hmac"}}, whose hmac {@code mac} (initialised with the
     * trail's key) computes over {@code prev} and the line's canonical bytes — which are the
     * array's own bytes up to the hmac member, then the closing {@code }}}: no canonical copy is
     * made. The hmac is returned in {@code hmacOut} (32 bytes) for the next line's {@code prev}.
     */
    static byte[] seal(byte[] body, long seq, byte[] prev, byte[] keyIdMember, Mac mac, byte[] hmacOut) {
        String seqText = Long.toString(seq);
        byte[] out = new byte[body.length + CHAIN.length + seqText.length() + PREV.length + 2 * prev.length + 1
                + keyIdMember.length + HMAC.length + 2 * hmacOut.length + 3];
        System.arraycopy(body, 0, out, 0, body.length);
        int at = put(out, body.length, CHAIN);
        for (int i = 0; i < seqText.length(); i++) {
            out[at++] = (byte) seqText.charAt(i); // digits: ASCII
        }
        at = hex(out, put(out, at, PREV), prev);
        out[at++] = '"';
        at = put(out, at, keyIdMember);
        mac.update(prev);
        mac.update(out, 0, at);
        mac.update(CLOSE);
        try {
            mac.doFinal(hmacOut, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("an HMAC-SHA256 needs 32 bytes", e);
        }
        at = hex(out, put(out, at, HMAC), hmacOut);
        out[at++] = '"';
        put(out, at, CLOSE);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int put(byte[] out, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    /** Lower-case hex, as {@link HexFormat#of()} writes it. */
    private static int hex(byte[] out, int at, byte[] bytes) {
        for (byte x : bytes) {
            out[at++] = HEX[(x >> 4) & 0xf];
            out[at++] = HEX[x & 0xf];
        }
        return at;
    }

    private static void initiator(StringBuilder b, AuditEvent.Initiator i) {
        string(b.append("{\"typeURI\":"), i.typeUri());
        member(b, "id", i.userId() == null ? "unknown" : i.userId());
        optional(b, "project_id", i.projectId());
        if (i.roles() != null) {
            b.append(",\"roles\":[");
            for (int r = 0; r < i.roles().size(); r++) {
                string(r == 0 ? b : b.append(','), i.roles().get(r));
            }
            b.append(']');
        }
        optional(b, "system_scope", i.systemScope());
        if (i.address() != null || i.agent() != null) {
            b.append(",\"host\":{");
            if (i.address() != null) {
                string(b.append("\"address\":"), i.address());
            }
            if (i.agent() != null) {
                string(b.append(i.address() != null ? ",\"agent\":" : "\"agent\":"), i.agent());
            }
            b.append('}');
        }
        b.append('}');
    }

    /** {@code ,"name":"value"}; names are constants that need no escaping. */
    private static void member(StringBuilder b, String name, String value) {
        string(b.append(",\"").append(name).append("\":"), value);
    }

    private static void optional(StringBuilder b, String name, String value) {
        if (value != null) {
            member(b, name, value);
        }
    }

    /**
     * A JSON string as Jackson writes it: quote, backslash and control characters escaped (the
     * short forms where JSON has them), everything else as is; a lone surrogate, which UTF-8
     * cannot carry, as its {@code \\u} escape.
     */
    static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        int clean = 0;
        while (clean < s.length() && plain(s.charAt(clean))) {
            clean++;
        }
        if (clean == s.length()) { // the usual case: append(String) copies in bulk, append(s, 0, n) char by char
            b.append('"').append(s).append('"');
            return;
        }
        // Ids, paths and names are plain: one bulk copy instead of an append per char (which the
        // GET profile showed above the HMAC itself).
        b.append('"').append(s, 0, clean);
        for (int i = clean; i < s.length(); i++) {
            char c = s.charAt(i);
            if (plain(c)) {
                b.append(c);
                continue;
            }
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else {
                        b.append("\\u").append(HexFormat.of().toHexDigits(c));
                    }
                }
            }
        }
        b.append('"');
    }

    /**
     * {@link #TIME}'s text, written digit by digit: the formatter's field lookups and its
     * intermediate string cost more per event than the rest of the line's members.
     */
    static StringBuilder time(StringBuilder b, Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC);
        if (d.getYear() < 0 || d.getYear() > 9999) {
            return b.append(TIME.format(t)); // signed, wider years: the formatter's rules
        }
        digits(b, d.getYear(), 1000).append('-');
        digits(b, d.getMonthValue(), 10).append('-');
        digits(b, d.getDayOfMonth(), 10).append('T');
        digits(b, d.getHour(), 10).append(':');
        digits(b, d.getMinute(), 10).append(':');
        digits(b, d.getSecond(), 10).append('.');
        return digits(b, t.getNano() / 1000, 100_000).append('Z'); // microseconds, truncated as the pattern's SSSSSS
    }

    /** {@code value}'s decimal digits from the place {@code top} down, zero-padded. */
    private static StringBuilder digits(StringBuilder b, int value, int top) {
        for (int place = top; place > 0; place /= 10) {
            b.append((char) ('0' + value / place % 10));
        }
        return b;
    }

    /** A char that goes into a JSON string as it is. */
    private static boolean plain(char c) {
        return c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c);
    }

    /** The hmac of an unsealed line that follows {@code prev}. */
    static byte[] hmac(AuditKey key, byte[] prev, String unsealed) {
        return key.mac(prev, unsealed.getBytes(StandardCharsets.UTF_8));
    }

    /** A written line split into its canonical bytes and its hmac, or null if it has no hmac member at its end. */
    static Sealed split(String line) {
        Matcher m = HMAC_MEMBER.matcher(line);
        if (!m.find()) {
            return null;
        }
        return new Sealed(line.substring(0, m.start()) + "}}", HexFormat.of().parseHex(m.group(1)));
    }

    record Sealed(String canonical, byte[] hmac) {}
}
