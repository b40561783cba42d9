package org.portcullis.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.portcullis.http.Json;

/**
 * Checks audit files against their HMAC chain and reports the first broken link. Files are read
 * in the order given (oldest first, e.g. {@code audit.log.1 audit.log}) as one chain; a line may
 * carry a prefix before its JSON (a syslog collector's timestamp and tag), which is skipped.
 *
 * <p>What it catches: an edited line (its hmac no longer matches), a deleted, inserted or
 * reordered line (the next line's {@code prev} does not match), a line cut short, and a line made
 * under a key it was not given ("wrong key", told apart from an edit by the line's key id). What
 * no chain can catch: lines removed from the <em>end</em> of the newest file, and a first file
 * whose predecessor is missing (reported as "linked to an earlier file"); compare the last
 * sequence number with an external record (a syslog copy, monitoring) for those.
 */
public final class AuditVerifier {
    private AuditVerifier() {}

    /** The outcome: intact or not, how many events were checked, and what to tell the operator. */
    public record Report(boolean intact, long events, String message) {}

    public static Report verify(List<Path> files, Map<String, AuditKey> keysById) throws IOException {
        State state = new State();
        for (Path file : files) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                String problem = verifyFile(file, in, keysById, state);
                if (problem != null) {
                    return new Report(false, state.events, problem);
                }
            }
        }
        StringBuilder msg = new StringBuilder();
        if (state.chains <= 1) {
            msg.append(state.events).append(" events, chain intact");
            if (state.events > 0) {
                msg.append(" (seq ").append(state.firstSeq).append(" to ").append(state.expectedSeq - 1).append(")");
            }
        } else {
            msg.append(state.events).append(" events in ").append(state.chains).append(" chains, each intact (the "
                    + "trail started afresh ").append(state.chains - 1).append(" time(s): a node started without its "
                    + "previous file); last seq ").append(state.expectedSeq - 1);
        }
        if (state.anchoredEarlier) {
            msg.append("; the first event links to an earlier file (hmac ").append(state.anchor, 0, 16)
                    .append("…), not given here");
        }
        return new Report(true, state.events, msg.toString());
    }

    private static final class State {
        long events;
        long expectedSeq;
        long firstSeq;
        byte[] prevHmac; // null before the first event
        int chains;
        boolean anchoredEarlier;
        String anchor;
        Instant lastTime = Instant.MIN;
    }

    /** The event's time, or the earliest instant when it has none that parses. */
    private static Instant eventTime(String canonical) {
        try {
            return Instant.parse(Json.MAPPER.readTree(canonical).path("eventTime").asText(""));
        } catch (IOException | java.time.format.DateTimeParseException e) {
            return Instant.MIN;
        }
    }

    private static String verifyFile(Path file, InputStream in, Map<String, AuditKey> keys, State st) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        long lineNo = 0;
        while (true) {
            int b = in.read();
            if (b == '\n' || b < 0) {
                if (b < 0 && line.size() == 0) {
                    return null;
                }
                lineNo++;
                String where = file + " line " + lineNo;
                if (b < 0) {
                    return where + ": truncated: the last line is incomplete (the file was cut, or a write failed)";
                }
                String problem = verifyLine(where, line.toString(StandardCharsets.UTF_8), keys, st);
                if (problem != null) {
                    return problem;
                }
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    private static String verifyLine(String where, String text, Map<String, AuditKey> keys, State st) {
        int start = text.indexOf("{\"typeURI\"");
        AuditLine.Sealed sealed = start < 0 ? null : AuditLine.split(text.substring(start));
        if (sealed == null) {
            return where + ": not a sealed audit event (edited, or cut short)";
        }
        JsonNode chain;
        try {
            chain = Json.MAPPER.readTree(sealed.canonical()).path("chain");
        } catch (IOException e) {
            return where + ": not valid JSON: the line was edited";
        }
        long seq = chain.path("seq").asLong(-1);
        String keyId = chain.path("key_id").asText("");
        byte[] prev;
        try {
            prev = HexFormat.of().parseHex(chain.path("prev").asText(""));
        } catch (IllegalArgumentException e) {
            prev = new byte[0];
        }
        String at = where + " (seq " + seq + ")";
        if (seq < 1 || prev.length != 32) {
            return at + ": the chain member is malformed: the line was edited";
        }
        AuditKey key = keys.get(keyId);
        if (key == null) {
            return at + ": sealed with audit key " + keyId + ", but the key(s) given are " + keys.keySet()
                    + ": wrong key (or the line's key_id was edited)";
        }
        byte[] expected = AuditLine.hmac(key, prev, sealed.canonical());
        if (!MessageDigest.isEqual(expected, sealed.hmac())) {
            return at + ": broken link: the hmac does not match the line's content: the line was edited";
        }
        boolean newChain = seq == 1 && Arrays.equals(prev, AuditLine.GENESIS);
        if (st.prevHmac == null) {
            st.firstSeq = seq;
            st.chains = 1;
            if (!newChain) {
                st.anchoredEarlier = true;
                st.anchor = HexFormat.of().formatHex(prev);
            }
        } else if (newChain) {
            // A fresh chain (a node started on an empty file) is legitimate, but not one that starts
            // before the event it follows: files given out of order.
            if (eventTime(sealed.canonical()).isBefore(st.lastTime)) {
                return at + ": a new chain starting before the previous event (" + st.lastTime
                        + "): files out of order, or lines moved";
            }
            st.chains++;
        } else if (!MessageDigest.isEqual(prev, st.prevHmac)) {
            return at + ": broken link: it does not follow the previous line (seq " + (st.expectedSeq - 1)
                    + "): a line was deleted, inserted or reordered";
        } else if (seq != st.expectedSeq) {
            return at + ": broken link: seq " + seq + " follows seq " + (st.expectedSeq - 1);
        }
        st.prevHmac = sealed.hmac();
        st.lastTime = eventTime(sealed.canonical());
        st.expectedSeq = seq + 1;
        st.events++;
        return null;
    }
}
