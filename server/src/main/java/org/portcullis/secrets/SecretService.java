package org.portcullis.secrets;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.portcullis.acl.AclEntity;
import org.portcullis.acl.AclService;
import org.portcullis.auth.Policy;
import org.portcullis.auth.PolicyTarget;
import org.portcullis.auth.RequestContext;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;
import org.portcullis.quotas.QuotaEnforcer;
import org.portcullis.quotas.Resource;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.stores.StoredRef;
import org.portcullis.stores.PreferredStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets: policy, expiry, the choice of store, and the order of writes that keeps a failed
 * request from leaving anything behind (seal in the store first, then one transaction for the row
 * and its metadata; if that fails, the payload is destroyed in the store again).
 */
public final class SecretService {
    private static final Logger LOG = LoggerFactory.getLogger(SecretService.class);
    static final String NOT_FOUND = "Secret not found.";

    private final Database db;
    private final SecretRepository repository;
    private final StoreRegistry stores;
    private final PreferredStores preferred;
    private final Policy policy;
    private final AclService acls;
    private final QuotaEnforcer quotas;
    private final Clock clock;

    public SecretService(Database db, SecretRepository repository, StoreRegistry stores, PreferredStores preferred,
            Policy policy, AclService acls, QuotaEnforcer quotas, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.stores = stores;
        this.preferred = preferred;
        this.policy = policy;
        this.acls = acls;
        this.quotas = quotas;
        this.clock = clock;
    }

    public Secret create(RequestContext ctx, NewSecret request) {
        policy.enforce(ctx, "secrets:post");
        long now = clock.millis();
        if (request.expiration() != null && request.expiration() <= now) {
            throw ApiException.badRequest("Invalid property 'expiration': it is before the current time.");
        }
        quotas.precheck(ctx.projectId(), Resource.SECRETS); // before sealing anything
        SecretStore store = preferred.storeForNewSecret(ctx.projectId());
        String id = UUID.randomUUID().toString();
        SecretBinding binding = new SecretBinding(id, ctx.projectId(), store.info().id());
        StoredRef stored = request.payload() == null ? null : store.store(binding, request.payload());
        Secret secret = new Secret(id, ctx.projectId(), ctx.userId(), request.name(), request.secretType(),
                request.algorithm(), request.bitLength(), request.mode(), request.expiration(), "ACTIVE",
                store.info().id(), request.payload() == null ? null : request.contentType(), stored, now, now);
        try {
            db.change(h -> {
                quotas.check(h, ctx.projectId(), Resource.SECRETS); // the authoritative, race-free check
                repository.insert(h, secret);
                return null;
            });
        } catch (RuntimeException e) {
            discard(store, binding, stored);
            throw e;
        }
        db.afterRollback(() -> discard(store, binding, stored)); // the request failed later (its audit event)
        return secret;
    }

    // ---- for features that create secrets on the caller's behalf (orders) ------------------

    /** The store a new secret of {@code ctx}'s project goes to. */
    public SecretStore storeForNewSecret(RequestContext ctx) {
        return preferred.storeForNewSecret(ctx.projectId());
    }

    /** A secret row for a payload already sealed in {@code store}; inserted by {@link #insert}. */
    public Secret generated(RequestContext ctx, SecretStore store, String id, NewSecret meta, StoredRef stored, long now) {
        return new Secret(id, ctx.projectId(), ctx.userId(), meta.name(), meta.secretType(), meta.algorithm(),
                meta.bitLength(), meta.mode(), meta.expiration(), "ACTIVE", store.info().id(), meta.contentType(),
                stored, now, now);
    }

    public void insert(org.jdbi.v3.core.Handle h, Secret secret) {
        repository.insert(h, secret);
    }

    /** Destroys payloads sealed for secrets whose rows were never written. */
    public void discard(SecretStore store, List<Secret> secrets) {
        for (Secret s : secrets) {
            discard(store, new SecretBinding(s.id(), s.projectId(), s.storeId()), s.stored());
        }
    }

    /** A live secret the caller may see: 404 when unknown, deleted or expired, 403 across projects. */
    public Secret get(RequestContext ctx, String id) {
        Secret secret = authorized(ctx, id, "secret:get");
        return secret;
    }

    public Map<String, String> metadata(RequestContext ctx, String id) {
        Secret secret = authorized(ctx, id, "secret_meta:get");
        return db.read(h -> repository.metadata(h, id));
    }

    public List<SecretConsumer> consumers(String id) {
        return db.read(h -> repository.consumers(h, id));
    }

    /** The decrypted payload and its stored content type. */
    public Payload payload(RequestContext ctx, String id) {
        Secret secret = authorized(ctx, id, "secret:decrypt");
        if (!secret.hasPayload()) {
            throw ApiException.notFound("Secret has no payload.");
        }
        SecretStore store = stores.holding(secret.storeId());
        byte[] bytes = store.retrieve(new SecretBinding(secret.id(), secret.projectId(), secret.storeId()), secret.stored());
        return new Payload(bytes, secret.contentType());
    }

    /** A payload and the type it was stored as. */
    public record Payload(byte[] bytes, String contentType) {}

    /** The second step of a two-step create: 409 if the secret has a payload already. */
    public void putPayload(RequestContext ctx, String id, byte[] payload, String contentType) {
        Secret secret = authorized(ctx, id, "secret:put");
        if (secret.hasPayload()) {
            throw ApiException.conflict("Secret already has data, cannot modify it.");
        }
        SecretStore store = stores.holding(secret.storeId());
        SecretBinding binding = new SecretBinding(secret.id(), secret.projectId(), secret.storeId());
        StoredRef stored = store.store(binding, payload);
        boolean set;
        try {
            set = db.change(h -> repository.setPayload(h, id, contentType, stored, clock.millis()));
        } catch (RuntimeException e) {
            discard(store, binding, stored);
            throw e;
        }
        if (!set) {
            discard(store, binding, stored);
            throw ApiException.conflict("Secret already has data, cannot modify it.");
        }
        db.afterRollback(() -> discard(store, binding, stored));
    }

    /**
     * Deletes a secret and its payload. From microversion 1.2 (or always, when the operator asks
     * for it) a secret that still has consumers is kept unless {@code force} is set.
     */
    public void delete(RequestContext ctx, String id, boolean guardConsumers, boolean force) {
        Secret secret = authorized(ctx, id, "secret:delete");
        long now = clock.millis();
        boolean deleted = db.change(h -> {
            if (guardConsumers && !force) {
                List<SecretConsumer> consumers = repository.consumers(h, id);
                if (!consumers.isEmpty()) {
                    // Upstream (microversion 1.2) answers 400 here, not 409; clients match on it.
                    throw ApiException.badRequest("Secret cannot be deleted as it has consumers: "
                            + describe(consumers) + ". Remove the consumers first, or delete with ?force=true.");
                }
            }
            return repository.delete(h, id, now);
        });
        if (!deleted) {
            throw ApiException.notFound(NOT_FOUND);
        }
        if (secret.hasPayload()) {
            // Only once the delete is committed: a rolled-back delete must find its payload still there.
            SecretStore store = stores.holding(secret.storeId());
            db.afterCommit(() -> discard(store, new SecretBinding(id, secret.projectId(), secret.storeId()),
                    secret.stored()));
        }
    }

    public SecretRepository.Page list(RequestContext ctx, SecretFilter filter) {
        policy.enforce(ctx, "secrets:get");
        // acl_only lists what the caller was granted by ACL, in any project (as Barbican does).
        String aclUser = filter.aclOnly() ? ctx.userId() : null;
        return db.read(h -> repository.list(h, ctx.projectId(), aclUser, filter, clock.millis()));
    }

    // ---- metadata ----------------------------------------------------------------------------

    public void replaceMetadata(RequestContext ctx, String id, Map<String, String> metadata) {
        authorized(ctx, id, "secret_meta:put");
        db.change(h -> {
            repository.replaceMetadata(h, id, metadata, clock.millis());
            return null;
        });
    }

    public void addMetadatum(RequestContext ctx, String id, String key, String value) {
        authorized(ctx, id, "secret_meta:post");
        if (!db.change(h -> repository.addMetadatum(h, id, key, value, clock.millis()))) {
            throw ApiException.conflict("Key '" + key + "' is already in the secret's metadata.");
        }
    }

    public String metadatum(RequestContext ctx, String id, String key) {
        Secret secret = authorized(ctx, id, "secret_meta:get");
        return db.read(h -> repository.metadatum(h, id, key))
                .orElseThrow(() -> ApiException.notFound("Secret metadata not found."));
    }

    public void updateMetadatum(RequestContext ctx, String id, String key, String value) {
        authorized(ctx, id, "secret_meta:put");
        if (!db.change(h -> repository.updateMetadatum(h, id, key, value, clock.millis()))) {
            throw ApiException.notFound("Secret metadata not found.");
        }
    }

    public void deleteMetadatum(RequestContext ctx, String id, String key) {
        authorized(ctx, id, "secret_meta:delete");
        db.change(h -> {
            repository.deleteMetadatum(h, id, key);
            return null;
        });
    }

    // ---- helpers -----------------------------------------------------------------------------

    private Secret load(String id) {
        Secret secret = db.read(h -> repository.find(h, id)).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
        if (secret.expiredAt(clock.millis())) {
            throw ApiException.notFound(NOT_FOUND);
        }
        return secret;
    }

    private static AclEntity aclEntity(Secret secret) {
        return new AclEntity(AclEntity.Kind.SECRET, secret.id(), secret.projectId(), secret.creatorId());
    }

    /** The secret as an ACL's subject; 404 when it does not exist, is deleted or expired. */
    public AclEntity aclEntity(String id) {
        return aclEntity(load(id));
    }

    /**
     * A live secret checked against {@code rule}: the row and its ACL are read in one
     * transaction, since every secret request starts here.
     */
    public Secret authorized(RequestContext ctx, String id, String rule) {
        record Loaded(Secret secret, PolicyTarget target) {}
        long now = clock.millis();
        Loaded loaded = db.read(h -> {
            Secret secret = repository.find(h, id).filter(s -> !s.expiredAt(now))
                    .orElseThrow(() -> ApiException.notFound(NOT_FOUND));
            return new Loaded(secret, acls.target(h, ctx, aclEntity(secret)));
        });
        policy.enforce(ctx, rule, loaded.target());
        return loaded.secret();
    }
    private static void discard(SecretStore store, SecretBinding binding, StoredRef stored) {
        if (stored == null) {
            return;
        }
        try {
            store.delete(binding, stored);
        } catch (RuntimeException e) {
            LOG.error("payload of secret {} could not be removed from store '{}'; it is orphaned there: {}",
                    binding.secretId(), store.info().name(), e.getMessage());
        }
    }

    private static String describe(List<SecretConsumer> consumers) {
        StringBuilder sb = new StringBuilder();
        for (SecretConsumer c : consumers) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(c.service()).append('/').append(c.resourceType()).append('/').append(c.resourceId());
        }
        return sb.toString();
    }
}
