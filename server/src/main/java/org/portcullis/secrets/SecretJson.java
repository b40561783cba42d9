package org.portcullis.secrets;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.portcullis.http.Microversion;
import org.portcullis.http.Timestamps;

/** A secret's metadata as Barbican clients read it (Castellan needs {@code created}). */
final class SecretJson {
    private SecretJson() {}

    static String ref(String baseUrl, String id) {
        return baseUrl + "/v1/secrets/" + id;
    }

    /**
     * A secret's JSON, written member by member onto the response's generator: no object per
     * member or per secret for Jackson to inspect (a list writes ten of them per request).
     * Members in Barbican's order; {@code null} is written as {@code null} except for the two
     * members Barbican leaves out: {@code content_types} without a payload, {@code consumers}
     * before microversion 1.1 ({@code consumers} null).
     */
    record View(Secret secret, String baseUrl, List<SecretConsumer> consumers) implements JsonSerializable {
        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            write(g, secret, baseUrl, consumers);
        }

        @Override
        public void serializeWithType(JsonGenerator g, SerializerProvider provider, TypeSerializer typeSer)
                throws IOException {
            serialize(g, provider); // never polymorphic: no type id to add
        }
    }

    static View of(Secret s, String baseUrl, Microversion version, List<SecretConsumer> consumers) {
        return new View(s, baseUrl, version.atLeast(1, 1) ? consumers : null);
    }

    static void write(JsonGenerator g, Secret s, String baseUrl, List<SecretConsumer> consumers) throws IOException {
        g.writeStartObject();
        g.writeStringField("secret_ref", ref(baseUrl, s.id()));
        g.writeStringField("name", s.name());
        g.writeStringField("status", s.status());
        g.writeStringField("secret_type", s.secretType().apiName());
        g.writeStringField("expiration", Timestamps.formatOrNull(s.expiration()));
        g.writeStringField("algorithm", s.algorithm());
        g.writeFieldName("bit_length");
        if (s.bitLength() == null) {
            g.writeNull();
        } else {
            g.writeNumber(s.bitLength());
        }
        g.writeStringField("mode", s.mode());
        g.writeStringField("created", Timestamps.format(s.createdAt()));
        g.writeStringField("updated", Timestamps.format(s.updatedAt()));
        g.writeStringField("creator_id", s.creatorId());
        if (s.hasPayload() && s.contentType() != null) {
            g.writeObjectFieldStart("content_types");
            g.writeStringField("default", s.contentType());
            g.writeEndObject();
        }
        if (consumers != null) {
            g.writeArrayFieldStart("consumers");
            for (SecretConsumer c : consumers) {
                g.writeStartObject();
                g.writeStringField("service", c.service());
                g.writeStringField("resource_type", c.resourceType());
                g.writeStringField("resource_id", c.resourceId());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /**
     * {@code GET /v1/secrets}: {@code secrets}, {@code total}, then the paging links
     * ({@code previous}, {@code next}) that apply, in that order.
     *
     * @param consumers each secret's consumers by id, or null before microversion 1.1
     */
    record Page(List<Secret> secrets, int total, String baseUrl, Map<String, List<SecretConsumer>> consumers,
            Map<String, Object> links) implements JsonSerializable {
        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            g.writeArrayFieldStart("secrets");
            for (Secret s : secrets) {
                write(g, s, baseUrl, consumers == null ? null : consumers.getOrDefault(s.id(), List.of()));
            }
            g.writeEndArray();
            g.writeNumberField("total", total);
            for (Map.Entry<String, Object> link : links.entrySet()) {
                g.writeStringField(link.getKey(), (String) link.getValue());
            }
            g.writeEndObject();
        }

        @Override
        public void serializeWithType(JsonGenerator g, SerializerProvider provider, TypeSerializer typeSer)
                throws IOException {
            serialize(g, provider); // never polymorphic: no type id to add
        }
    }
}
