package org.portcullis.kmip;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.portcullis.kmip.Kmip.ObjectType;
import org.portcullis.kmip.Kmip.Operation;

/**
 * A synchronous, thread-safe KMIP 1.x client over mutual TLS: Register, Get, Destroy, Create
 * (symmetric keys), Locate, Activate, Revoke and GetAttributes, one batch item per message.
 * Connections come from a bounded pool ({@link KmipClientConfig#poolSize()}), so concurrent
 * callers share at most that many TLS sessions.
 *
 * <p>Failures: {@link KmipUnavailableException} (cannot connect, timed out, connection broke),
 * {@link KmipTlsException} (handshake refused), {@link KmipOperationException} and its
 * {@code ItemNotFound}/{@code PermissionDenied} (the server said no), {@link KmipProtocolException}
 * (malformed answer).
 */
public final class KmipClient implements AutoCloseable {
    private final KmipClientConfig config;
    private final KmipMessages.Version version;
    private final ConnectionPool pool;

    public KmipClient(KmipClientConfig config) {
        this.config = config;
        this.version = new KmipMessages.Version(1, config.protocolMinor());
        this.pool = new ConnectionPool(config);
    }

    public KmipClientConfig config() {
        return config;
    }

    /** Registers an object the caller supplies; returns its Unique Identifier. */
    public String register(ManagedObject object, List<Attribute> attributes) {
        return call(Operation.REGISTER, registerPayload(object, attributes)).child(Tags.UNIQUE_IDENTIFIER).textValue();
    }

    /**
     * Creates a symmetric key on the server ({@code algorithm}: a Cryptographic Algorithm value),
     * usable to encrypt and decrypt, plus any {@code extra} attributes; returns its Unique Identifier.
     */
    public String createSymmetricKey(int algorithm, int lengthBits, List<Attribute> extra) {
        return call(Operation.CREATE, createPayload(algorithm, lengthBits, extra)).child(Tags.UNIQUE_IDENTIFIER)
                .textValue();
    }

    /** The object with this Unique Identifier, with its key material. */
    public ManagedObject get(String uid) {
        return parseGet(call(Operation.GET, uidPayload(uid)));
    }

    /** An object and some of its attributes, read in one round trip. */
    public record Fetched(ManagedObject object, List<Attribute> attributes) {}

    /**
     * The object and the named attributes, as one message of two batch items (GetAttributes, then
     * Get), so checking an attribute before trusting the object costs no extra round trip.
     */
    public Fetched getWithAttributes(String uid, String... names) {
        List<Ttlv> payloads = call(List.of(new KmipMessages.Item(Operation.GET_ATTRIBUTES, getAttributesPayload(uid, names)),
                new KmipMessages.Item(Operation.GET, uidPayload(uid))));
        return new Fetched(parseGet(payloads.get(1)), payloads.get(0).all(Tags.ATTRIBUTE).stream()
                .map(Attribute::decode).toList());
    }

    /** Destroys the object's key material; the server may keep its metadata. */
    public void destroy(String uid) {
        call(Operation.DESTROY, uidPayload(uid));
    }

    /** Moves the object to the Active state. */
    public void activate(String uid) {
        call(Operation.ACTIVATE, uidPayload(uid));
    }

    /**
     * Revokes the object ({@code reasonCode}: a Revocation Reason Code). For Key/CA Compromise the
     * Compromise Occurrence Date is set to now.
     */
    public void revoke(String uid, int reasonCode, String message) {
        call(Operation.REVOKE, revokePayload(uid, reasonCode, message, Instant.now()));
    }

    /** Unique Identifiers of the objects matching every attribute (at most {@code maxItems} if > 0). */
    public List<String> locate(List<Attribute> attributes, int maxItems) {
        return call(Operation.LOCATE, locatePayload(attributes, maxItems)).all(Tags.UNIQUE_IDENTIFIER).stream()
                .map(Ttlv::textValue).toList();
    }

    /** The named attributes of an object (all of them when no name is given). */
    public List<Attribute> getAttributes(String uid, String... names) {
        return call(Operation.GET_ATTRIBUTES, getAttributesPayload(uid, names)).all(Tags.ATTRIBUTE).stream()
                .map(Attribute::decode).toList();
    }

    // Request payloads and response parsing, package-private so the codec tests can check them
    // against the byte vectors of the KMIP test cases.

    static Ttlv registerPayload(ManagedObject object, List<Attribute> attributes) {
        return KmipMessages.payload(List.of(Ttlv.enumeration(Tags.OBJECT_TYPE, object.objectType()),
                templateAttribute(attributes), object.encode()));
    }

    static Ttlv createPayload(int algorithm, int lengthBits, List<Attribute> extra) {
        List<Attribute> attributes = new ArrayList<>();
        attributes.add(Attribute.enumeration(Attribute.CRYPTOGRAPHIC_ALGORITHM, algorithm));
        attributes.add(Attribute.integer(Attribute.CRYPTOGRAPHIC_LENGTH, lengthBits));
        attributes.add(Attribute.integer(Attribute.CRYPTOGRAPHIC_USAGE_MASK,
                Kmip.UsageMask.ENCRYPT | Kmip.UsageMask.DECRYPT));
        attributes.addAll(extra);
        return KmipMessages.payload(List.of(Ttlv.enumeration(Tags.OBJECT_TYPE, ObjectType.SYMMETRIC_KEY),
                templateAttribute(attributes)));
    }

    static Ttlv uidPayload(String uid) {
        return KmipMessages.payload(List.of(Ttlv.text(Tags.UNIQUE_IDENTIFIER, uid)));
    }

    static Ttlv revokePayload(String uid, int reasonCode, String message, Instant now) {
        List<Ttlv> reason = new ArrayList<>();
        reason.add(Ttlv.enumeration(Tags.REVOCATION_REASON_CODE, reasonCode));
        if (message != null) {
            reason.add(Ttlv.text(Tags.REVOCATION_MESSAGE, message));
        }
        List<Ttlv> fields = new ArrayList<>();
        fields.add(Ttlv.text(Tags.UNIQUE_IDENTIFIER, uid));
        fields.add(Ttlv.structure(Tags.REVOCATION_REASON, reason));
        if (reasonCode == Kmip.RevocationReasonCode.KEY_COMPROMISE || reasonCode == Kmip.RevocationReasonCode.CA_COMPROMISE) {
            fields.add(Ttlv.dateTime(Tags.COMPROMISE_OCCURRENCE_DATE, now.getEpochSecond()));
        }
        return KmipMessages.payload(fields);
    }

    static Ttlv locatePayload(List<Attribute> attributes, int maxItems) {
        List<Ttlv> fields = new ArrayList<>();
        if (maxItems > 0) {
            fields.add(Ttlv.integer(Tags.MAXIMUM_ITEMS, maxItems));
        }
        attributes.forEach(a -> fields.add(a.encode()));
        return KmipMessages.payload(fields);
    }

    static Ttlv getAttributesPayload(String uid, String... names) {
        List<Ttlv> fields = new ArrayList<>();
        fields.add(Ttlv.text(Tags.UNIQUE_IDENTIFIER, uid));
        for (String n : names) {
            fields.add(Ttlv.text(Tags.ATTRIBUTE_NAME, n));
        }
        return KmipMessages.payload(fields);
    }

    static ManagedObject parseGet(Ttlv payload) {
        int type = payload.child(Tags.OBJECT_TYPE).intValue();
        Ttlv object = payload.children().stream()
                .filter(c -> c.tag() != Tags.OBJECT_TYPE && c.tag() != Tags.UNIQUE_IDENTIFIER)
                .findFirst()
                .orElseThrow(() -> new KmipProtocolException("Get response carries no object"));
        return ManagedObject.decode(type, object);
    }

    /** How many TLS connections this client has opened so far. */
    public long connectionsOpened() {
        return pool.opened();
    }

    /** Connections open and idle in the pool right now. */
    public int idleConnections() {
        return pool.idle();
    }

    @Override
    public void close() {
        pool.close();
    }

    private static Ttlv templateAttribute(List<Attribute> attributes) {
        return Ttlv.structure(Tags.TEMPLATE_ATTRIBUTE, attributes.stream().map(Attribute::encode).toList());
    }

    private Ttlv call(int operation, Ttlv payload) {
        return call(List.of(new KmipMessages.Item(operation, payload))).get(0);
    }

    private List<Ttlv> call(List<KmipMessages.Item> items) {
        byte[] request = TtlvCodec.encode(KmipMessages.request(version, config.credential(), items));
        byte[] response;
        try {
            response = pool.with(c -> c.roundTrip(request));
        } catch (SSLHandshakeException e) {
            throw new KmipTlsException("TLS handshake with KMIP server " + config.address() + " failed: "
                    + e.getMessage(), e);
        } catch (UnknownHostException e) {
            throw new KmipUnavailableException("KMIP server " + config.address() + " unreachable: unknown host", e);
        } catch (IOException e) {
            throw new KmipUnavailableException("KMIP server " + config.address() + " unreachable: " + describe(e), e);
        }
        return KmipMessages.responsePayloads(items.stream().map(KmipMessages.Item::operation).toList(),
                TtlvCodec.decode(response));
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
