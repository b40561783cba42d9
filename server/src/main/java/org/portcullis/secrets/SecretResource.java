package org.portcullis.secrets;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.audit.AuditTrail;
import org.portcullis.http.ApiException;
import org.portcullis.http.Exchange;
import org.portcullis.http.Microversion;
import org.portcullis.http.PageLinks;
import org.portcullis.http.ResourceIds;
import org.portcullis.http.Router;
import org.portcullis.transport.ServerTransportKeys;
import org.portcullis.transport.TransportEnvelope;

/** {@code /v1/secrets}: Barbican's secret and secret-metadata endpoints. */
public final class SecretResource {
    private static final Set<String> TEXT_ACCEPTS = Set.of("text/plain", "text/plain;charset=utf-8", "text/plain; charset=utf-8");
    private static final Set<String> BINARY_ACCEPTS = Set.of(PayloadFormats.OCTET_STREAM, PayloadFormats.PKCS8);

    private final SecretService service;
    private final ServerTransportKeys transport;
    private final long maxSecretBytes;
    private final boolean protectConsumedSecrets;
    private final AuditTrail audit;

    public SecretResource(SecretService service, ServerTransportKeys transport, long maxSecretBytes,
            boolean protectConsumedSecrets, AuditTrail audit) {
        this.audit = audit;
        this.service = service;
        this.transport = transport;
        this.maxSecretBytes = maxSecretBytes;
        this.protectConsumedSecrets = protectConsumedSecrets;
    }

    public void register(Router r) {
        r.post("/v1/secrets", this::create);
        r.get("/v1/secrets", this::list);
        r.get("/v1/secrets/{id}", this::get);
        r.put("/v1/secrets/{id}", this::putPayload);
        r.delete("/v1/secrets/{id}", this::delete);
        r.get("/v1/secrets/{id}/payload", this::payload);
        r.get("/v1/secrets/{id}/metadata", this::getMetadata);
        r.put("/v1/secrets/{id}/metadata", this::replaceMetadata);
        r.post("/v1/secrets/{id}/metadata", this::addMetadatum);
        r.get("/v1/secrets/{id}/metadata/{key}", this::getMetadatum);
        r.put("/v1/secrets/{id}/metadata/{key}", this::updateMetadatum);
        r.delete("/v1/secrets/{id}/metadata/{key}", this::deleteMetadatum);
    }

    private void create(Exchange ex) {
        service.authorize(ex.context(), "secrets:post");
        JsonNode body = ex.jsonBody();
        NewSecret request = SecretRequests.newSecret(body, maxSecretBytes);
        SecretRequests.Transport wrapping = SecretRequests.transport(body);
        if (wrapping.keyId() != null) {
            if (request.payload() == null || PayloadFormats.isText(request.contentType())) {
                throw ApiException.badRequest("A payload wrapped with transport_key_id is sent as "
                        + "application/octet-stream, base64-encoded.");
            }
            request = request.withPayload(unwrap(wrapping.keyId(), request.payload()));
        }
        if (wrapping.keyNeeded() && request.payload() != null) {
            throw ApiException.badRequest("transport_key_needed is for a secret whose payload follows, wrapped, "
                    + "in a PUT; this request already carries one.");
        }
        // The server's transport key, made on first use (then committed with this request).
        String transportKey = wrapping.keyNeeded() ? transport.current() : null;
        Secret secret = service.create(ex.context(), request);
        audit.record(ex, AuditAction.CREATE, AuditTarget.SECRET, secret.id(), createDetails(secret));
        String ref = SecretJson.ref(ex.baseUrl(), secret.id());
        ex.responseHeader("Location", ref);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("secret_ref", ref);
        if (transportKey != null) {
            out.put("transport_key_ref", ex.baseUrl() + "/v1/transport_keys/" + transportKey);
        }
        ex.json(201, out);
    }

    /** Facts about a new secret for its audit event: never the payload, only whether it came with one. */
    private static Map<String, Object> createDetails(Secret s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("secret_type", s.secretType().toString());
        if (s.name() != null) {
            d.put("name", s.name());
        }
        d.put("with_payload", s.hasPayload());
        d.put("store_id", s.storeId());
        return d;
    }

    /** The payload inside a transport envelope, checked against the size limit like any other. */
    private byte[] unwrap(String transportKeyId, byte[] envelope) {
        byte[] payload = TransportEnvelope.open(transport.privateKey(transportKeyId), envelope);
        if (payload.length == 0) {
            throw ApiException.badRequest("The transport-wrapped payload is empty.");
        }
        if (payload.length > maxSecretBytes) {
            throw SecretRequests.tooLarge(maxSecretBytes);
        }
        return payload;
    }

    private void list(Exchange ex) {
        SecretFilter filter = SecretRequests.filter(ex.queryParams());
        SecretRepository.Page page = service.list(ex.context(), filter);
        Map<String, List<SecretConsumer>> consumers = ex.microversion().atLeast(1, 1)
                ? service.consumers(page.secrets().stream().map(Secret::id).toList()) : null;
        Map<String, Object> links = new LinkedHashMap<>(4);
        PageLinks.add(links, ex.baseUrl() + "/v1/secrets", ex.queryParams(), filter.limit(), filter.offset(),
                page.total(), page.secrets().size());
        ex.json(200, new SecretJson.Page(page.secrets(), page.total(), ex.baseUrl(), consumers, links));
    }

    private void get(Exchange ex) {
        String id = id(ex);
        if (!wantsJson(ex.header("Accept"))) {
            // Barbican's legacy payload read: GET /v1/secrets/{id} with a payload media type.
            writePayload(ex, service.payload(ex.context(), id));
            audit.record(ex, AuditAction.READ, AuditTarget.SECRET_PAYLOAD, id); // before the answer leaves
            return;
        }
        Secret secret = service.get(ex.context(), id);
        List<SecretConsumer> consumers = ex.microversion().atLeast(1, 1) ? service.consumers(id) : null;
        ex.json(200, SecretJson.of(secret, ex.baseUrl(), ex.microversion(), consumers));
    }

    private void payload(Exchange ex) {
        String wrappedSessionKey = ex.query("trans_wrapped_session_key");
        if (wrappedSessionKey == null) {
            writePayload(ex, service.payload(ex.context(), id(ex)));
            audit.record(ex, AuditAction.READ, AuditTarget.SECRET_PAYLOAD, id(ex)); // before the answer leaves
            return;
        }
        String transportKeyId = ex.query("transport_key_id");
        if (transportKeyId == null) {
            throw ApiException.badRequest("Transport key wrapped session key has been provided to wrap secrets for "
                    + "retrieval, but the transport key id has not been provided.");
        }
        SecretService.Payload payload = service.payload(ex.context(), id(ex));
        byte[] sessionKey;
        try {
            sessionKey = TransportEnvelope.unwrapSessionKey(transport.privateKey(transportKeyId),
                    PayloadFormats.decodeBase64(wrappedSessionKey, "trans_wrapped_session_key"));
        } catch (java.security.GeneralSecurityException e) {
            throw ApiException.badRequest("trans_wrapped_session_key does not unwrap with transport key "
                    + transportKeyId + ".");
        }
        ex.bytes(200, PayloadFormats.OCTET_STREAM, TransportEnvelope.sealForClient(sessionKey, payload.bytes()));
        audit.record(ex, AuditAction.READ, AuditTarget.SECRET_PAYLOAD, id(ex), Map.of("transport_key_id", transportKeyId));
    }

    /**
     * Answers in the media type the client accepts, whatever the payload was stored as (as
     * Barbican does): text needs the bytes to be UTF-8, binary types get the bytes as they are.
     */
    private static void writePayload(Exchange ex, SecretService.Payload payload) {
        String accept = ex.header("Accept");
        if (accept == null || accept.isBlank()) {
            accept = PayloadFormats.OCTET_STREAM;
        } else if (accept.strip().equals("*/*")) {
            accept = payload.contentType() == null ? PayloadFormats.OCTET_STREAM : payload.contentType();
        }
        accept = accept.strip();
        String normalized = PayloadFormats.normalize(accept);
        if (normalized == null) {
            throw new ApiException(406, "Wrong payload content-type: this secret can be read as "
                    + PayloadFormats.SUPPORTED + ", not '" + accept + "'.");
        }
        if (PayloadFormats.isText(normalized)) {
            if (PayloadFormats.utf8OrNull(payload.bytes()) == null) {
                throw new ApiException(406, "Wrong payload content-type: the payload is binary and cannot be read as "
                        + "text/plain; ask for application/octet-stream.");
            }
            ex.bytes(200, TEXT_ACCEPTS.contains(accept) ? accept : "text/plain; charset=utf-8", payload.bytes());
            return;
        }
        ex.bytes(200, BINARY_ACCEPTS.contains(accept) ? accept : normalized, payload.bytes());
    }

    private static boolean wantsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        String a = accept.strip().toLowerCase(Locale.ROOT);
        return a.equals("application/json") || a.equals("*/*") || a.startsWith("application/json;")
                || (a.contains("application/json") && !a.contains("text/plain") && !a.contains("octet-stream"));
    }

    private void putPayload(Exchange ex) {
        Secret secret = service.authorized(ex.context(), id(ex), "secret:put");
        String mediaType = ex.requestMediaType();
        if (!PayloadFormats.TEXT.equals(mediaType) && !PayloadFormats.OCTET_STREAM.equals(mediaType)) {
            throw new ApiException(415, "Unexpected content type. Expected content types are: "
                    + "['application/octet-stream', 'text/plain']");
        }
        byte[] body = ex.body();
        if (body.length == 0) {
            throw ApiException.badRequest("No data supplied to process.");
        }
        byte[] payload = body;
        if (PayloadFormats.TEXT.equals(mediaType) && PayloadFormats.utf8OrNull(body) == null) {
            // it could never be read back as text/plain (406), and POST cannot carry it either
            throw ApiException.badRequest("A text/plain payload must be UTF-8 text; send binary data as "
                    + "application/octet-stream.");
        }
        if (PayloadFormats.OCTET_STREAM.equals(mediaType)) {
            String encoding = ex.header("Content-Encoding");
            if (encoding != null && !encoding.isBlank()) {
                if (!encoding.strip().equalsIgnoreCase("base64")) {
                    throw ApiException.badRequest("Text-based binary secret payloads must specify a content-encoding "
                            + "of 'base64'.");
                }
                payload = PayloadFormats.decodeBase64(new String(body, StandardCharsets.US_ASCII), "payload");
                if (payload.length == 0) {
                    throw ApiException.badRequest("No data supplied to process.");
                }
            }
        }
        String transportKeyId = ex.query("transport_key_id");
        if (transportKeyId != null) {
            if (!PayloadFormats.OCTET_STREAM.equals(mediaType)) {
                throw ApiException.badRequest("A payload wrapped with transport_key_id is sent as "
                        + "application/octet-stream.");
            }
            payload = unwrap(transportKeyId, payload);
        }
        if (payload.length > maxSecretBytes) {
            throw SecretRequests.tooLarge(maxSecretBytes);
        }
        service.putPayload(secret, payload, mediaType);
        audit.record(ex, AuditAction.UPDATE, AuditTarget.SECRET_PAYLOAD, secret.id());
        ex.noContent();
    }

    private void delete(Exchange ex) {
        Secret secret = service.authorized(ex.context(), id(ex), "secret:delete");
        boolean guard = protectConsumedSecrets || ex.microversion().atLeast(1, 2);
        boolean force = guard && strictBoolean(ex.query("force"));
        service.delete(secret, guard, force);
        audit.record(ex, AuditAction.DELETE, AuditTarget.SECRET, secret.id(), force ? Map.of("force", true) : Map.of());
        ex.noContent();
    }

    private static boolean strictBoolean(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "1", "t", "true", "on", "y", "yes" -> true;
            case "0", "f", "false", "off", "n", "no" -> false;
            default -> throw ApiException.badRequest("URI provided invalid query string parameters.");
        };
    }

    // ---- metadata ----------------------------------------------------------------------------

    private void getMetadata(Exchange ex) {
        ex.json(200, Map.of("metadata", service.metadata(ex.context(), id(ex))));
    }

    private void replaceMetadata(Exchange ex) {
        Secret secret = service.authorized(ex.context(), id(ex), "secret_meta:put");
        String id = secret.id();
        Map<String, String> metadata = SecretRequests.metadata(ex.jsonBody());
        service.replaceMetadata(secret, metadata);
        audit.record(ex, AuditAction.UPDATE, AuditTarget.SECRET_METADATA, id, Map.of("keys", List.copyOf(metadata.keySet())));
        ex.json(201, Map.of("metadata_ref", SecretJson.ref(ex.baseUrl(), id) + "/metadata"));
    }

    private void addMetadatum(Exchange ex) {
        Secret secret = service.authorized(ex.context(), id(ex), "secret_meta:post");
        String id = secret.id();
        Map.Entry<String, String> entry = SecretRequests.metadatum(ex.jsonBody());
        service.addMetadatum(secret, entry.getKey(), entry.getValue());
        audit.record(ex, AuditAction.CREATE, AuditTarget.SECRET_METADATA, id, Map.of("key", entry.getKey()));
        ex.responseHeader("Location", SecretJson.ref(ex.baseUrl(), id) + "/metadata/" + entry.getKey());
        ex.json(201, metadatumJson(entry.getKey(), entry.getValue()));
    }

    private void getMetadatum(Exchange ex) {
        String id = id(ex);
        String key = ex.pathParam("key");
        ex.json(200, metadatumJson(key, service.metadatum(ex.context(), id, key)));
    }

    private void updateMetadatum(Exchange ex) {
        Secret secret = service.authorized(ex.context(), id(ex), "secret_meta:put");
        String key = ex.pathParam("key");
        Map.Entry<String, String> entry = SecretRequests.metadatum(ex.jsonBody());
        if (!entry.getKey().equals(key)) {
            service.metadatum(secret, key); // 404 first when the URL's key does not exist
            throw ApiException.conflict("Key in request data does not match key in the request URL.");
        }
        service.updateMetadatum(secret, key, entry.getValue());
        audit.record(ex, AuditAction.UPDATE, AuditTarget.SECRET_METADATA, secret.id(), Map.of("key", key));
        ex.json(200, metadatumJson(key, entry.getValue()));
    }

    private void deleteMetadatum(Exchange ex) {
        Secret secret = service.authorized(ex.context(), id(ex), "secret_meta:delete");
        service.deleteMetadatum(secret, ex.pathParam("key"));
        audit.record(ex, AuditAction.DELETE, AuditTarget.SECRET_METADATA, secret.id(), Map.of("key", ex.pathParam("key")));
        ex.noContent();
    }

    private static Map<String, Object> metadatumJson(String key, String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("value", value);
        return m;
    }

    private static String id(Exchange ex) {
        return ResourceIds.require(ex.pathParam("id"), "secret");
    }
}
