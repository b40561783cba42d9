package org.portcullis.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
            .withZone(java.time.ZoneOffset.UTC);
    private static final Pattern HMAC_MEMBER = Pattern.compile(",\"hmac\":\"([0-9a-f]{64})\"}}$");

    private AuditLine() {}

    /** The event with its chain position, without the hmac: the bytes the hmac covers. */
    static String unsealed(AuditEvent e, String observer, long seq, byte[] prev, String keyId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("typeURI", EVENT_TYPE_URI);
        m.put("id", e.id());
        m.put("eventType", "activity");
        m.put("eventTime", TIME.format(e.time()));
        m.put("action", e.action().cadf());
        m.put("outcome", e.outcome());
        if (e.reasonCode() != null) {
            m.put("reason", Map.of("reasonType", "HTTP", "reasonCode", String.valueOf(e.reasonCode())));
        }
        m.put("initiator", initiator(e.initiator()));
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("typeURI", e.targetTypeUri());
        target.put("id", e.targetId() == null ? "unknown" : e.targetId());
        if (e.targetName() != null) {
            target.put("name", e.targetName());
        }
        m.put("target", target);
        Map<String, Object> obs = new LinkedHashMap<>();
        obs.put("id", "target");
        obs.put("typeURI", "service/security/keymanager");
        obs.put("name", observer);
        m.put("observer", obs);
        if (e.method() != null) {
            m.put("requestMethod", e.method());
        }
        if (e.requestPath() != null) {
            m.put("requestPath", e.requestPath());
        }
        if (e.requestId() != null) {
            m.put("request_id", e.requestId());
        }
        if (!e.details().isEmpty()) {
            m.put("attachments", List.of(Map.of("name", "details", "typeURI", "mime:application/json",
                    "content", e.details())));
        }
        Map<String, Object> chain = new LinkedHashMap<>();
        chain.put("seq", seq);
        chain.put("prev", HexFormat.of().formatHex(prev));
        chain.put("key_id", keyId);
        m.put("chain", chain);
        try {
            return Json.MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("audit event not serialisable", ex);
        }
    }

    private static Map<String, Object> initiator(AuditEvent.Initiator i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("typeURI", i.typeUri());
        m.put("id", i.userId() == null ? "unknown" : i.userId());
        if (i.projectId() != null) {
            m.put("project_id", i.projectId());
        }
        if (i.roles() != null) {
            m.put("roles", i.roles());
        }
        if (i.systemScope() != null) {
            m.put("system_scope", i.systemScope());
        }
        if (i.address() != null || i.agent() != null) {
            Map<String, Object> host = new LinkedHashMap<>();
            if (i.address() != null) {
                host.put("address", i.address());
            }
            if (i.agent() != null) {
                host.put("agent", i.agent());
            }
            m.put("host", host);
        }
        return m;
    }

    /** The hmac of an unsealed line that follows {@code prev}. */
    static byte[] hmac(AuditKey key, byte[] prev, String unsealed) {
        return key.mac(prev, unsealed.getBytes(StandardCharsets.UTF_8));
    }

    /** The complete line (without its newline): the unsealed line with the hmac as last member. */
    static String seal(String unsealed, byte[] hmac) {
        return unsealed.substring(0, unsealed.length() - 2) + ",\"hmac\":\"" + HexFormat.of().formatHex(hmac) + "\"}}";
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
