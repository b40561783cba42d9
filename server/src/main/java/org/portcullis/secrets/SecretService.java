package org.portcullis.secrets;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.portcullis.acl.AclEntity;
import org.portcullis.acl.AclService;
import org.portcullis.auth.Policy;
import org.portcullis.auth.PolicyTarget;
import org.portcullis.auth.RequestContext;
import org.portcullis.config.DatabaseSettings.Kind;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;
import org.portcullis.idempotency.IdempotentCreate;
import org.portcullis.ids.TimeOrderedIds;
import org.portcullis.quotas.QuotaEnforcer;
import org.portcullis.quotas.Resource;
import org.portcullis.stores.PreferredStores;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.stores.StoredRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets: policy, expiry, the choice of store, and the order of writes that keeps a failed
 * request from leaving anything behind (seal in the store first, then one transaction for the row
 * and its metadata; if that fails, the payload is destroyed in the store again).
 *
 * <p>A change is authorized first ({@link #authorize}, {@link #authorized}), by the resource,
 * before it reads the request body: a caller without rights gets 403 whatever it sent, and
 * nothing in its body is evaluated. The write methods then take the secret that passed.
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

    /** Throws the 403 unless {@code ctx} passes {@code rule}, a rule on the collection ({@code secrets:post}). */
    public void authorize(RequestContext ctx, String rule) {
        policy.enforce(ctx, rule);
    }

    /**
     * Creates a secret; the caller has passed {@code secrets:post} ({@link #authorize}). Runs inside
     * a request ({@link Database#inRequest}), whose one transaction holds the quota check and the insert.
     */
    public Secret create(RequestContext ctx, NewSecret request) {
        long now = clock.millis();
        if (request.expiration() != null && request.expiration() <= now) {
            throw ApiException.badRequest("Invalid property 'expiration': it is before the current time.");
        }
        // The project's quota, preferred store and active KEKs: one statement, outside any
        // transaction (a create that changes one row needs none of its own, below), shared with
        // the project's concurrent creates.
        CreateReads.Project project = CreateReads.shared(db, ctx.projectId());
        boolean limited = quotas.limited(Resource.SECRETS, project.ownSecretsQuota());
        // On PostgreSQL, with stores that seal in this process (no backend round trip), a limited
        // quota's authoritative check opens the write transaction (its lock held to the commit)
        // before anything is sealed. Not on SQLite: there the transaction holds the one write lock,
        // which nodes sharing the file contend for. Nor with a backend's seal (KMIP, HSM, Vault),
        // which may take long: no transaction waits for it. Then a precheck refuses early; the
        // check before the insert is authoritative.
        boolean inTransaction = db.kind() == Kind.POSTGRESQL && stores.sealsInProcess();
        if (inTransaction && limited) {
            db.check(h -> {
                quotas.checkWithOwn(h, ctx.projectId(), Resource.SECRETS, project.ownSecretsQuota());
                return null;
            });
        } else if (!inTransaction) {
            quotas.precheck(ctx.projectId(), Resource.SECRETS, project.ownSecretsQuota());
        }
        SecretStore store = preferred.chosenOrDefault(project.preferredStore());
        String id = TimeOrderedIds.next(now); // in creation order: appended to the id index (TimeOrderedIds)
        SecretBinding binding = new SecretBinding(id, ctx.projectId(), store.info().id());
        StoredRef stored = request.payload() == null ? null
                : store.store(binding, request.payload(), project.activeKeks());
        Secret secret = new Secret(id, ctx.projectId(), ctx.userId(), request.name(), request.secretType(),
                request.algorithm(), request.bitLength(), request.mode(), request.expiration(), "ACTIVE",
                store.info().id(), request.payload() == null ? null : request.contentType(), stored, now, now);
        try {
            // On PostgreSQL the row goes with the COMMIT, in its round trip, and when it is the
            // request's one change, with other requests' rows in one batch and one COMMIT
            // (Database#changeAtCommit); nothing of it is expected to fail. What must fail the
            // request before its event is written comes first: the quota's check, and the
            // Idempotency-Key, which a concurrent request may hold.
            if (db.kind() == Kind.SQLITE || (limited && !inTransaction) || IdempotentCreate.pending()) {
                db.change(h -> {
                    if (!inTransaction) {
                        // the authoritative, race-free check: the count, under the write lock
                        quotas.checkWithOwn(h, ctx.projectId(), Resource.SECRETS, project.ownSecretsQuota());
                    }
                    IdempotentCreate.record(h, 201, "secret_ref", "/v1/secrets/" + id);
                    if (!db.changeAtCommit(repository.insertAtCommit(secret))) {
                        repository.insert(h, secret);
                    }
                    return null;
                });
            } else if (!db.changeAtCommit(repository.insertAtCommit(secret))) {
                db.change(h -> {
                    repository.insert(h, secret); // outside a request
                    return null;
                });
            }
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

    public void insert(Handle h, Secret secret) {
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
        return authorized(ctx, id, "secret:get");
    }

    public Map<String, String> metadata(RequestContext ctx, String id) {
        authorized(ctx, id, "secret_meta:get");
        return db.read(h -> repository.metadata(h, id));
    }

    public List<SecretConsumer> consumers(String id) {
        return db.read(h -> repository.consumers(h, id));
    }

    /** The decrypted payload and its stored content type. */
    public Payload payload(RequestContext ctx, String id) {
        long now = clock.millis();
        SecretRepository.PayloadRow row = db.readConnection(c -> repository.findPayload(c, id, ctx.userId()))
                .filter(r -> !r.expiredAt(now)).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
        AclEntity entity = new AclEntity(AclEntity.Kind.SECRET, id, row.projectId(), row.creatorId());
        policy.enforce(ctx, "secret:decrypt", acls.target(ctx, entity, row.readAcl()));
        if (row.stored() == null) {
            throw ApiException.notFound("Secret has no payload.");
        }
        try {
            return open(id, row.projectId(), row.storeId(), row.stored(), row.contentType());
        } catch (StoreException e) {
            // `manage store migrate` may have moved the payload (and destroyed the copy this row
            // named) between our read of the row and the store's answer: read the row once more.
            Secret again = db.read(h -> repository.find(h, id)).orElse(null);
            if (again == null || !again.hasPayload()
                    || (again.storeId().equals(row.storeId()) && again.stored().equals(row.stored()))) {
                throw e;
            }
            return open(id, again.projectId(), again.storeId(), again.stored(), again.contentType());
        }
    }

    private Payload open(String id, String projectId, String storeId, StoredRef stored, String contentType) {
        SecretStore store = stores.holding(storeId);
        return new Payload(store.retrieve(new SecretBinding(id, projectId, storeId), stored), contentType);
    }

    /** A payload and the type it was stored as. */
    public record Payload(byte[] bytes, String contentType) {}

    /**
     * The second step of a two-step create, on a secret the caller passed {@code secret:put} for:
     * 409 if the secret has a payload already.
     */
    public void putPayload(Secret secret, byte[] payload, String contentType) {
        String id = secret.id();
        if (secret.hasPayload()) {
            throw ApiException.conflict("Secret already has data, cannot modify it.");
        }
        SecretStore store = stores.holding(secret.storeId());
        SecretBinding binding = new SecretBinding(secret.id(), secret.projectId(), secret.storeId());
        StoredRef stored = store.store(binding, payload);
        boolean set;
        try {
            set = db.change(h -> repository.setPayload(h, id, secret.storeId(), contentType, stored, clock.millis()));
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
     * for it) a secret that still has consumers is kept unless {@code force} is set. The caller
     * has passed {@code secret:delete} for it.
     */
    public void delete(Secret secret, boolean guardConsumers, boolean force) {
        String id = secret.id();
        long now = clock.millis();
        Secret[] atDeletion = {secret}; // a migration may have moved the payload since `authorized` read it
        boolean deleted = db.change(h -> {
            if (guardConsumers && !force) {
                List<SecretConsumer> consumers = repository.consumers(h, id);
                if (!consumers.isEmpty()) {
                    // Upstream (microversion 1.2) answers 400 here, not 409; clients match on it.
                    throw ApiException.badRequest("Secret cannot be deleted as it has consumers: "
                            + describe(consumers) + ". Remove the consumers first, or delete with ?force=true.");
                }
            }
            atDeletion[0] = repository.find(h, id).orElse(secret);
            return repository.delete(h, id, atDeletion[0].storeId(), now);
        });
        if (!deleted) {
            throw ApiException.notFound(NOT_FOUND);
        }
        Secret gone = atDeletion[0];
        if (gone.hasPayload()) {
            // Only once the delete is committed: a rolled-back delete must find its payload still there.
            SecretStore store = stores.holding(gone.storeId());
            db.afterCommit(() -> discard(store, new SecretBinding(id, gone.projectId(), gone.storeId()), gone.stored()));
        }
    }

    public SecretRepository.Page list(RequestContext ctx, SecretFilter filter) {
        policy.enforce(ctx, "secrets:get");
        // acl_only lists what the caller was granted by ACL, in any project (as Barbican does).
        String aclUser = filter.aclOnly() ? ctx.userId() : null;
        SecretListQuery query = SecretListQuery.of(ctx.projectId(), aclUser, filter, clock.millis());
        // The first page is one statement (rows and total), so no read transaction around it; an
        // empty one and any other page read the count and the rows in one.
        SecretRepository.Page first = filter.offset() == 0 ? db.readConnection(query::firstPage) : null;
        return first != null ? first : db.read(query::page);
    }

    /** The consumers of each of {@code ids} (a list's page), in one statement instead of one per secret. */
    public Map<String, List<SecretConsumer>> consumers(List<String> ids) {
        return db.readStatement(h -> repository.consumersOf(h, ids));
    }

    // ---- metadata ----------------------------------------------------------------------------

    // The writes below are on a secret the caller passed the secret_meta rule for (authorized).

    public void replaceMetadata(Secret secret, Map<String, String> metadata) {
        db.change(h -> {
            repository.replaceMetadata(h, secret.id(), metadata, clock.millis());
            return null;
        });
    }

    public void addMetadatum(Secret secret, String key, String value) {
        if (!db.change(h -> repository.addMetadatum(h, secret.id(), key, value, clock.millis()))) {
            throw ApiException.conflict("Key '" + key + "' is already in the secret's metadata.");
        }
    }

    public String metadatum(RequestContext ctx, String id, String key) {
        return metadatum(authorized(ctx, id, "secret_meta:get"), key);
    }

    /** One metadata value of a secret the caller was authorized for; 404 when the key is not there. */
    public String metadatum(Secret secret, String key) {
        return db.read(h -> repository.metadatum(h, secret.id(), key))
                .orElseThrow(() -> ApiException.notFound("Secret metadata not found."));
    }

    public void updateMetadatum(Secret secret, String key, String value) {
        if (!db.change(h -> repository.updateMetadatum(h, secret.id(), key, value, clock.millis()))) {
            throw ApiException.notFound("Secret metadata not found.");
        }
    }

    public void deleteMetadatum(Secret secret, String key) {
        db.change(h -> {
            repository.deleteMetadatum(h, secret.id(), key);
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
     * statement, since every secret request starts here.
     */
    public Secret authorized(RequestContext ctx, String id, String rule) {
        record Loaded(Secret secret, PolicyTarget target) {}
        long now = clock.millis();
        Loaded loaded = db.readConnection(c -> {
            SecretRepository.WithReadAcl found = repository.findWithReadAcl(c, id, ctx.userId())
                    .filter(f -> !f.secret().expiredAt(now)).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
            return new Loaded(found.secret(), acls.target(ctx, aclEntity(found.secret()), found.readAcl()));
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
