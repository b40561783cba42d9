package org.portcullis.acl;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.portcullis.auth.Policy;
import org.portcullis.auth.PolicyTarget;
import org.portcullis.auth.RequestContext;
import org.portcullis.db.Database;

/**
 * Secret and container ACLs: reading and changing them (policy {@code secret_acls:*},
 * {@code container_acls:*}, evaluated, as in Barbican, without the ACL's own grants), and the view
 * of an ACL every other policy decision on that entity takes into account.
 */
public final class AclService {

    private final Database db;
    private final AclRepository repository;
    private final Policy policy;
    private final Clock clock;

    public AclService(Database db, AclRepository repository, Policy policy, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.policy = policy;
        this.clock = clock;
    }

    /** What the entity's read ACL grants {@code ctx}: listed user? project access? */
    public PolicyTarget.AclView viewFor(RequestContext ctx, AclEntity.Kind kind, String entityId) {
        return db.read(h -> view(h, ctx, kind, entityId));
    }

    private PolicyTarget.AclView view(Handle h, RequestContext ctx, AclEntity.Kind kind, String entityId) {
        return view(ctx, repository.readAcl(h, kind, entityId, ctx.userId()));
    }

    private static PolicyTarget.AclView view(RequestContext ctx, Optional<AclRepository.ReadAcl> readAcl) {
        return readAcl.map(acl -> new PolicyTarget.AclView(ctx.userId() != null && acl.callerListed(), acl.projectAccess()))
                .orElse(PolicyTarget.AclView.DEFAULT);
    }

    /** A policy target for {@code entity} as seen by {@code ctx}, ACL grants included. */
    public PolicyTarget target(RequestContext ctx, AclEntity entity) {
        return db.read(h -> target(h, ctx, entity));
    }

    /** As {@link #target(RequestContext, AclEntity)}, inside the caller's transaction. */
    public PolicyTarget target(Handle h, RequestContext ctx, AclEntity entity) {
        return PolicyTarget.of(entity.kind().policyName(), entity.projectId(), entity.creatorId(),
                view(h, ctx, entity.kind(), entity.id()));
    }

    /**
     * As {@link #target(RequestContext, AclEntity)}, from the entity's read ACL as the caller's
     * own query read it ({@link AclRepository#readAcl}'s meaning, for {@code ctx}'s user).
     */
    public PolicyTarget target(RequestContext ctx, AclEntity entity, Optional<AclRepository.ReadAcl> readAcl) {
        return PolicyTarget.of(entity.kind().policyName(), entity.projectId(), entity.creatorId(), view(ctx, readAcl));
    }

    public List<Acl> get(RequestContext ctx, AclEntity entity) {
        authorize(ctx, entity, "get");
        return db.read(h -> repository.find(h, entity.kind(), entity.id()));
    }

    /** PUT: the given operations replace the entity's ACLs; operations not given are removed. */
    public void replace(AclEntity entity, Map<String, AclRequests.Change> changes) {
        long now = clock.millis();
        db.change(h -> {
            changes.forEach((op, c) -> repository.upsert(h, entity.kind(), entity.id(), op,
                    c.projectAccess() == null || c.projectAccess(), c.users() == null ? Set.of() : c.users(), now));
            repository.deleteAll(h, entity.kind(), entity.id(), changes.keySet());
            return null;
        });
    }

    /** PATCH: only what is given changes; users, when given, replace the list. */
    public void patch(AclEntity entity, Map<String, AclRequests.Change> changes) {
        long now = clock.millis();
        db.change(h -> {
            changes.forEach((op, c) -> repository.upsert(h, entity.kind(), entity.id(), op, c.projectAccess(),
                    c.users() == null ? null : new LinkedHashSet<>(c.users()), now));
            return null;
        });
    }

    public void delete(AclEntity entity) {
        db.change(h -> {
            repository.deleteAll(h, entity.kind(), entity.id(), Set.of());
            return null;
        });
    }

    /**
     * Throws the 403 unless {@code ctx} may {@code verb} ({@code get}, {@code put_patch},
     * {@code delete}) the entity's ACL. Changes are authorized by the resource before it reads
     * the request body; {@link #replace}, {@link #patch} and {@link #delete} take an entity that passed.
     */
    public void authorize(RequestContext ctx, AclEntity entity, String verb) {
        policy.enforce(ctx, entity.kind().policyName() + "_acls:" + verb,
                PolicyTarget.owner(entity.kind().policyName(), entity.projectId(), entity.creatorId()));
    }

}
