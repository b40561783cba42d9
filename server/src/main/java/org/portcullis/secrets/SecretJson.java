package org.portcullis.secrets;

import org.portcullis.http.Timestamps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portcullis.http.Microversion;

/** A secret's metadata as Barbican clients read it (Castellan needs {@code created}). */
final class SecretJson {
    private SecretJson() {}

    static String ref(String baseUrl, String id) {
        return baseUrl + "/v1/secrets/" + id;
    }

    static Map<String, Object> of(Secret s, String baseUrl, Microversion version, List<SecretConsumer> consumers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("secret_ref", ref(baseUrl, s.id()));
        m.put("name", s.name());
        m.put("status", s.status());
        m.put("secret_type", s.secretType().apiName());
        m.put("expiration", Timestamps.formatOrNull(s.expiration()));
        m.put("algorithm", s.algorithm());
        m.put("bit_length", s.bitLength());
        m.put("mode", s.mode());
        m.put("created", Timestamps.format(s.createdAt()));
        m.put("updated", Timestamps.format(s.updatedAt()));
        m.put("creator_id", s.creatorId());
        if (s.hasPayload() && s.contentType() != null) {
            m.put("content_types", Map.of("default", s.contentType()));
        }
        if (version.atLeast(1, 1) && consumers != null) {
            m.put("consumers", consumersJson(consumers));
        }
        return m;
    }

    static List<Map<String, Object>> consumersJson(List<SecretConsumer> consumers) {
        List<Map<String, Object>> out = new ArrayList<>(consumers.size());
        for (SecretConsumer c : consumers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("service", c.service());
            m.put("resource_type", c.resourceType());
            m.put("resource_id", c.resourceId());
            out.add(m);
        }
        return out;
    }
}
