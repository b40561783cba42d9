package org.portcullis.containers;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.portcullis.acl.AclEntity;
import org.portcullis.auth.Policy;
import org.portcullis.auth.PolicyTarget;
import org.portcullis.auth.RequestContext;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;
import org.portcullis.http.Paging;
import org.portcullis.http.ResourceIds;
import org.portcullis.idempotency.IdempotentCreate;
import org.portcullis.ids.TimeOrderedIds;
import org.portcullis.quotas.QuotaEnforcer;
import org.portcullis.quotas.Resource;

/**
 * Containers and their consumers: policy, the existence of referenced secrets, and one
 * transaction per change, so a request that fails leaves no row behind.
 *
 * <p>The order of checks is Barbican's: an unknown container is a 404 before any policy check,
 * policy comes before the request body is even read (so a caller without rights learns nothing
 * from validation errors), and validation before any write. The resource therefore authorizes
 * first ({@link #authorize}, {@link #authorized}), then parses, then calls the change with the
 * container that passed.
 */
public final class ContainerService {
    static final String NOT_FOUND = "Secrets container not found.";
    static final String CONSUMER_NOT_FOUND = "Consumer not found.";

    private final Database db;
    private final ContainerRepository repository;
    private final ContainerAcls acls;
    private final Policy policy;
    private final QuotaEnforcer quotas;
    private final Clock clock;

    public ContainerService(Database db, ContainerRepository repository, ContainerAcls acls, Policy policy,
            QuotaEnforcer quotas, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.acls = acls;
        this.policy = policy;
        this.quotas = quotas;
        this.clock = clock;
    }

    /**
     * Creates a container in the caller's project, within its containers quota; every referenced
     * secret must be a live secret of that project (Barbican asks no more: not whether the caller
     * may read it). Returns its id.
     */
    String create(RequestContext ctx, NewContainer request) {
        long now = clock.millis();
        String id = TimeOrderedIds.next(now); // appended to the id indexes of containers and members
        db.change(h -> {
            quotas.check(h, ctx.projectId(), Resource.CONTAINERS); // in the insert's transaction: race-free
            for (ContainerSecret s : request.secrets()) {
                if (!ResourceIds.isCanonicalUuid(s.secretId())
                        || !repository.lockLiveSecret(h, s.secretId(), ctx.projectId(), now)) {
                    // Barbican names the reference; an unnamed one shows as None there too.
                    throw ApiException.notFound("Secret provided for '" + Objects.requireNonNullElse(s.name(), "None")
                            + "' doesn't exist.");
                }
            }
            repository.insert(h, id, ctx.projectId(), ctx.userId(), request.name(), request.type(), request.secrets(),
                    now);
            IdempotentCreate.record(h, 201, "container_ref", "/v1/containers/" + id);
            return null;
        });
        return id;
    }

    /**
     * Creates a container on the server's behalf (an asymmetric order's key pair) inside the
     * caller's transaction: no policy, quota or existence check (Barbican counts such a container
     * against no quota; the caller has just made the secrets in {@code h}). Returns the
     * container's id.
     *
     * @param type {@code rsa} or {@code dsa} for key pairs; any container type is accepted
     * @param refNameToSecretId reference name to secret id, e.g. public_key, private_key and
     *     optionally private_key_passphrase
     * @throws IllegalArgumentException for an unknown type or names the type does not allow
     */
    public String insertGenerated(Handle h, RequestContext ctx, String type, String name,
            Map<String, String> refNameToSecretId) {
        ContainerType t = ContainerType.fromApi(type);
        if (t == null) {
            throw new IllegalArgumentException("unknown container type '" + type + "'");
        }
        List<ContainerSecret> secrets = new ArrayList<>();
        refNameToSecretId.forEach((n, s) -> secrets.add(new ContainerSecret(n, s)));
        try {
            ContainerRequests.checkNames(t, secrets.stream().map(ContainerSecret::name).toList());
        } catch (ApiException e) {
            throw new IllegalArgumentException(e.description(), e);
        }
        if (secrets.stream().map(ContainerSecret::secretId).distinct().count() != secrets.size()) {
            throw new IllegalArgumentException("a secret may appear only once in a container");
        }
        long now = clock.millis();
        String id = TimeOrderedIds.next(now);
        repository.insert(h, id, ctx.projectId(), ctx.userId(), name, t, secrets, now);
        return id;
    }

    /** A container the caller may see: 404 when unknown or deleted, 403 when policy says no. */
    public Container get(RequestContext ctx, String id) {
        Container c = load(id);
        policy.enforce(ctx, "container:get", target(ctx, c));
        return c;
    }

    public ContainerRepository.Page list(RequestContext ctx, ContainerFilter filter) {
        policy.enforce(ctx, "containers:get");
        return db.read(h -> repository.list(h, ctx.projectId(), filter));
    }

    /** Soft-deletes the container with its references and consumers; the secrets stay. */
    void delete(RequestContext ctx, Container c) {
        String id = c.id();
        long now = clock.millis();
        // Barbican deletes within the caller's project only: a policy that lets another project
        // through still finds nothing to delete.
        if (!db.change(h -> repository.delete(h, id, ctx.projectId(), now))) {
            throw ApiException.notFound(NOT_FOUND);
        }
    }

    // ---- consumers ----------------------------------------------------------------------------

    ContainerRepository.ConsumerPage consumers(RequestContext ctx, String id, Paging paging) {
        Container c = load(id);
        policy.enforce(ctx, "container_consumers:get", target(ctx, c));
        return db.read(h -> repository.consumers(h, id, paging));
    }

    /**
     * Barbican's consumer-by-id read. Consumer ids appear in no response, so hardly anyone can call
     * it; unlike Barbican, it only finds consumers of the container in the URL.
     */
    ContainerConsumer consumer(RequestContext ctx, String id, String consumerId) {
        Container c = load(id);
        ResourceIds.require(consumerId, "consumer");
        policy.enforce(ctx, "consumer:get", target(ctx, c));
        return db.read(h -> repository.consumerById(h, id, consumerId))
                .orElseThrow(() -> ApiException.notFound(CONSUMER_NOT_FOUND));
    }

    /**
     * Registers the caller as a consumer; registering the same name and URL again changes
     * nothing. Returns the container as it is now.
     */
    Container addConsumer(RequestContext ctx, Container c, ConsumerRef consumer) {
        String id = c.id();
        long now = clock.millis();
        String project = ctx.systemScoped() ? c.projectId() : ctx.projectId(); // system scope: the container's
        return db.change(h -> {
            if (repository.consumer(h, id, consumer).isEmpty()) {
                quotas.check(h, project, Resource.CONSUMERS, "ContainerConsumer creation");
            }
            boolean added = repository.addConsumer(h, TimeOrderedIds.next(now), id, project, consumer, now);
            // A new consumer changes the container (as in Barbican); the touch also finds a
            // container deleted meanwhile, and then nothing is written.
            boolean live = added ? repository.touch(h, id, now) : repository.lockLive(h, id);
            if (!live) {
                throw ApiException.notFound(NOT_FOUND);
            }
            return repository.find(h, id).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
        });
    }

    /**
     * Removes a consumer. Only the project that registered it, or the container's own project,
     * may do so. Returns the container as it is now.
     */
    Container removeConsumer(RequestContext ctx, Container c, ConsumerRef ref) {
        String id = c.id();
        return db.change(h -> {
            ContainerConsumer consumer = repository.consumer(h, id, ref)
                    .orElseThrow(() -> ApiException.notFound(CONSUMER_NOT_FOUND));
            if (!ctx.systemScoped() && !consumer.projectId().equals(ctx.projectId())
                    && !c.projectId().equals(ctx.projectId())) {
                throw ApiException.forbidden("Not Allowed. Sorry, only the creator of a consumer can delete it.");
            }
            if (!repository.deleteConsumer(h, consumer.id())) {
                throw ApiException.notFound(CONSUMER_NOT_FOUND);
            }
            return repository.find(h, id).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
        });
    }

    // ---- secrets of a container ---------------------------------------------------------------

    /** Barbican refuses to add secrets to any other type of container, before it reads the body. */
    static void requireGeneric(Container c) {
        if (c.type() != ContainerType.GENERIC) {
            throw ApiException.badRequest("Only 'generic' containers can be modified.");
        }
    }

    /** Adds a live secret of the caller's project to a generic container ({@link #requireGeneric}). */
    void addSecret(RequestContext ctx, Container c, SecretRefRequest request) {
        requireGeneric(c);
        String id = c.id();
        long now = clock.millis();
        db.change(h -> {
            if (!ResourceIds.isCanonicalUuid(request.secretId())
                    || !repository.lockLiveSecret(h, request.secretId(), ctx.projectId(), now)) {
                throw ApiException.notFound("Secret provided doesn't exist.");
            }
            if (!repository.lockLive(h, id)) {
                throw ApiException.notFound(NOT_FOUND);
            }
            var existing = repository.secretEntry(h, id, request.secretId());
            if (existing.isPresent()) {
                throw ApiException.conflict(Objects.equals(existing.get().name(), request.name())
                        ? "Conflict. A secret with that name and ID is already stored in this container."
                        : "Conflict. This secret is already stored in this container under the name '"
                                + existing.get().name() + "'; a secret appears at most once in a container.");
            }
            if (!repository.addSecret(h, id, request.name(), request.secretId())) {
                throw ApiException.conflict("Conflict. This secret is already stored in this container.");
            }
            return null;
        });
    }

    /** Takes a secret out of a container (of any type, as in Barbican). */
    void removeSecret(RequestContext ctx, Container c, SecretRefRequest request) {
        String id = c.id();
        long now = clock.millis();
        db.change(h -> {
            if (!ResourceIds.isCanonicalUuid(request.secretId())
                    || !repository.lockLiveSecret(h, request.secretId(), ctx.projectId(), now)) {
                throw ApiException.notFound("Secret '" + Objects.requireNonNullElse(request.name(), "None")
                        + "' with reference '" + request.secretRef() + "' doesn't exist.");
            }
            if (!repository.removeSecret(h, id, request.secretId(), request.name())) {
                throw ApiException.notFound("Secret provided is not in the container");
            }
            return null;
        });
    }

    /** The container as an ACL's subject; 404 when it does not exist or is deleted. */
    public AclEntity aclEntity(String id) {
        Container c = load(id);
        return new AclEntity(AclEntity.Kind.CONTAINER, c.id(), c.projectId(), c.creatorId());
    }

    // ---- authorization: the resource asks before it reads a request body ------------------------

    /** Throws the 403 unless {@code ctx} passes {@code rule}, a rule on the collection. */
    void authorize(RequestContext ctx, String rule) {
        policy.enforce(ctx, rule);
    }

    /** The live container {@code id} once {@code ctx} passes {@code rule} for it: 404, then 403. */
    Container authorized(RequestContext ctx, String id, String rule) {
        Container c = load(id);
        policy.enforce(ctx, rule, target(ctx, c));
        return c;
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Container load(String id) {
        return db.read(h -> repository.find(h, id)).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
    }

    private PolicyTarget target(RequestContext ctx, Container c) {
        return PolicyTarget.container(c.projectId(), c.creatorId(), acls.viewFor(ctx, c.id()));
    }
}
