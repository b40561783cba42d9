package org.portcullis.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.portcullis.auth.Policy;
import org.portcullis.auth.PolicyTarget;
import org.portcullis.auth.RequestContext;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;
import org.portcullis.http.Timestamps;
import org.portcullis.idempotency.IdempotentCreate;
import org.portcullis.quotas.QuotaEnforcer;
import org.portcullis.quotas.Resource;
import org.portcullis.secrets.NewSecret;
import org.portcullis.secrets.PayloadFormats;
import org.portcullis.secrets.Secret;
import org.portcullis.ids.TimeOrderedIds;
import org.portcullis.secrets.SecretService;
import org.portcullis.secrets.SecretType;
import org.portcullis.stores.KeyMaterial;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoredRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orders: the server generates a key (type key) or key pair (type asymmetric) in the project's
 * store. Processing is synchronous — Castellan polls orders without a timeout, so an order is
 * ACTIVE or ERROR when the POST returns. A failed generation leaves an ERROR order with
 * {@code error_status_code} and {@code error_reason} and no secret.
 */
public final class OrderService {
    private static final Logger LOG = LoggerFactory.getLogger(OrderService.class);
    static final String ACTIVE = "ACTIVE";
    static final String ERROR = "ERROR";
    static final String PENDING = "PENDING";

    private final Database db;
    private final OrderRepository repository;
    private final SecretService secrets;
    private final GeneratedContainers containers;
    private final Policy policy;
    private final QuotaEnforcer quotas;
    private final Clock clock;

    public OrderService(Database db, OrderRepository repository, SecretService secrets, GeneratedContainers containers,
            Policy policy, QuotaEnforcer quotas, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.secrets = secrets;
        this.containers = containers;
        this.policy = policy;
        this.quotas = quotas;
        this.clock = clock;
    }

    /** Throws the 403 unless {@code ctx} passes {@code rule}; the resource asks before it reads a body. */
    public void authorize(RequestContext ctx, String rule) {
        policy.enforce(ctx, rule);
    }

    /**
     * Creates and processes an order; the caller has passed {@code orders:post} ({@link
     * #authorize}). Generates first and writes once: the order, its secrets and its outcome in one
     * change, so that the request's transaction (which waits for the audit event) holds no lock
     * while the store generates, and the store's own first-use writes (a project's KEK) come
     * before it.
     */
    public Order create(RequestContext ctx, OrderRequests.NewOrder request) {
        NewSecret spec = secretSpec(request);
        long now = clock.millis();
        Order pending = new Order(TimeOrderedIds.next(now), ctx.projectId(), ctx.userId(), request.type(),
                request.meta(), PENDING, null, null, null, null, now, now);
        quotas.precheck(ctx.projectId(), Resource.ORDERS); // before generating anything
        Outcome outcome;
        try {
            outcome = request.type().equals("key") ? generateKey(ctx, pending, spec)
                    : generateKeyPair(ctx, pending, spec, text(request.meta(), "passphrase"));
        } catch (KeyMaterial.UnsupportedKey e) {
            outcome = failed(pending, "400", e.getMessage());
        } catch (StoreException e) {
            LOG.error("order {}: the secret store failed: {}", pending.id(), e.getMessage());
            outcome = failed(pending, "500", "The secret store could not generate the key: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("order {} failed", pending.id(), e);
            outcome = failed(pending, "500", "Process TypeOrder failure seen - please contact site administrator.");
        }
        Outcome done = outcome;
        try {
            db.change(h -> {
                quotas.check(h, ctx.projectId(), Resource.ORDERS);
                repository.insert(h, pending);
                IdempotentCreate.record(h, 202, "order_ref", "/v1/orders/" + pending.id());
                done.work().run(h);
                return null;
            });
        } catch (RuntimeException e) {
            discard(done);
            throw e;
        }
        db.afterRollback(() -> discard(done)); // the request failed later (its audit event)
        return db.read(h -> repository.find(h, ctx.projectId(), pending.id())).orElseThrow();
    }

    private Outcome generateKey(RequestContext ctx, Order order, NewSecret spec) {
        SecretStore store = secrets.storeForNewSecret(ctx);
        long now = clock.millis();
        String id = TimeOrderedIds.next(now);
        StoredRef ref = store.generateSymmetric(new SecretBinding(id, ctx.projectId(), store.info().id()),
                spec.algorithm(), spec.bitLength(), spec.mode());
        Secret secret = secrets.generated(ctx, store, id, spec, ref, now);
        return new Outcome(store, List.of(secret), h -> {
            secrets.insert(h, secret);
            repository.finish(h, order.id(), ACTIVE, id, null, null, null, clock.millis());
        });
    }

    private Outcome generateKeyPair(RequestContext ctx, Order order, NewSecret spec, String passphrase) {
        SecretStore store = secrets.storeForNewSecret(ctx);
        String storeId = store.info().id();
        long now = clock.millis();
        String privateId = TimeOrderedIds.next(now);
        String publicId = TimeOrderedIds.next(now);
        SecretStore.GeneratedPair pair = store.generateKeyPair(new SecretBinding(privateId, ctx.projectId(), storeId),
                new SecretBinding(publicId, ctx.projectId(), storeId), spec.algorithm(), spec.bitLength(), passphrase);
        List<Secret> made = new ArrayList<>();
        made.add(secrets.generated(ctx, store, privateId, withType(spec, SecretType.PRIVATE), pair.privateKey(), now));
        made.add(secrets.generated(ctx, store, publicId, withType(spec, SecretType.PUBLIC), pair.publicKey(), now));
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put("private_key", privateId);
        refs.put("public_key", publicId);
        if (passphrase != null && !passphrase.isEmpty()) {
            String passId = TimeOrderedIds.next(now);
            StoredRef passRef = store.store(new SecretBinding(passId, ctx.projectId(), storeId),
                    passphrase.getBytes(StandardCharsets.UTF_8));
            NewSecret passSpec = new NewSecret(spec.name(), SecretType.PASSPHRASE, null, null, null, spec.expiration(),
                    null, PayloadFormats.TEXT);
            made.add(secrets.generated(ctx, store, passId, passSpec, passRef, now));
            refs.put("private_key_passphrase", passId);
        }
        return new Outcome(store, made, h -> {
            for (Secret s : made) {
                secrets.insert(h, s);
            }
            String containerId = containers.insert(h, ctx, "rsa", spec.name(), refs);
            repository.finish(h, order.id(), ACTIVE, null, containerId, null, null, clock.millis());
        });
    }

    private interface Work {
        void run(org.jdbi.v3.core.Handle h);
    }

    /** What an order's generation left to write, and the payloads sealed for it (destroyed if that fails). */
    private record Outcome(SecretStore store, List<Secret> made, Work work) {}

    private Outcome failed(Order order, String code, String reason) {
        return new Outcome(null, List.of(),
                h -> repository.finish(h, order.id(), ERROR, null, null, code, reason, clock.millis()));
    }

    private void discard(Outcome outcome) {
        if (outcome.store() != null) {
            secrets.discard(outcome.store(), outcome.made());
        }
    }

    public Order get(RequestContext ctx, String id) {
        Order order = db.read(h -> repository.find(h, ctx.projectId(), id))
                .orElseThrow(() -> ApiException.notFound("Not Found. Sorry but your order is in another castle."));
        policy.enforce(ctx, "order:get", PolicyTarget.owner("order", order.projectId(), order.creatorId()));
        return order;
    }

    public void delete(RequestContext ctx, String id) {
        Order order = db.read(h -> repository.find(h, ctx.projectId(), id))
                .orElseThrow(() -> ApiException.notFound("Not Found. Sorry but your order is in another castle."));
        policy.enforce(ctx, "order:delete", PolicyTarget.owner("order", order.projectId(), order.creatorId()));
        db.change(h -> repository.delete(h, id, clock.millis()));
    }

    /** A page of the project's orders and their total. */
    public record Page(List<Order> orders, int total) {}

    public Page list(RequestContext ctx, int limit, int offset) {
        policy.enforce(ctx, "orders:get");
        return db.read(h -> new Page(repository.list(h, ctx.projectId(), limit, offset), repository.count(h, ctx.projectId())));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private NewSecret secretSpec(OrderRequests.NewOrder request) {
        ObjectNode meta = request.meta();
        Long expiration = null;
        String exp = text(meta, "expiration");
        if (exp != null && !exp.isBlank()) {
            expiration = Timestamps.parse(exp);
            if (expiration == null) {
                throw OrderRequests.invalid("expiration", "Invalid date for 'expiration'");
            }
            if (expiration <= clock.millis()) {
                throw OrderRequests.invalid("expiration", "'expiration' is before current time");
            }
        }
        SecretType type = request.type().equals("key") ? SecretType.SYMMETRIC : SecretType.PRIVATE;
        return new NewSecret(text(meta, "name"), type, text(meta, "algorithm"), meta.get("bit_length").intValue(),
                text(meta, "mode"), expiration, null, PayloadFormats.OCTET_STREAM);
    }

    private static NewSecret withType(NewSecret spec, SecretType type) {
        return new NewSecret(spec.name(), type, spec.algorithm(), spec.bitLength(), spec.mode(), spec.expiration(), null,
                spec.contentType());
    }

    private static String text(ObjectNode meta, String field) {
        JsonNode n = meta.get(field);
        return n == null || n.isNull() ? null : n.textValue().strip();
    }
}
