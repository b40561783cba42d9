package org.portcullis.secrets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
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

    /**
     * A secret's JSON: a record, whose serializer Jackson builds once, where a map per secret made
     * it look up a serializer per member of every secret of a list. Members in Barbican's order;
     * {@code null} is written as {@code null} except for the two members Barbican leaves out.
     */
    @JsonPropertyOrder({"secret_ref", "name", "status", "secret_type", "expiration", "algorithm", "bit_length", "mode",
            "created", "updated", "creator_id", "content_types", "consumers"})
    record View(@JsonProperty("secret_ref") String secretRef, String name, String status,
            @JsonProperty("secret_type") String secretType, String expiration, String algorithm,
            @JsonProperty("bit_length") Integer bitLength, String mode, String created, String updated,
            @JsonProperty("creator_id") String creatorId,
            @JsonProperty("content_types") @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> contentTypes,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Map<String, Object>> consumers) {}

    static View of(Secret s, String baseUrl, Microversion version, List<SecretConsumer> consumers) {
        return new View(ref(baseUrl, s.id()), s.name(), s.status(), s.secretType().apiName(),
                Timestamps.formatOrNull(s.expiration()), s.algorithm(), s.bitLength(), s.mode(),
                Timestamps.format(s.createdAt()), Timestamps.format(s.updatedAt()), s.creatorId(),
                s.hasPayload() && s.contentType() != null ? Map.of("default", s.contentType()) : null,
                version.atLeast(1, 1) && consumers != null ? consumersJson(consumers) : null);
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
