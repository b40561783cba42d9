package org.portcullis.secrets;

import java.time.Clock;
import java.util.Objects;
import org.portcullis.auth.RequestContext;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;
import org.portcullis.quotas.QuotaEnforcer;
import org.portcullis.quotas.Resource;

/**
 * Secret consumers (microversion 1.1): services that declare they use a secret, such as an image
 * or a volume, so that a delete can be refused while they do (microversion 1.2).
 */
public final class SecretConsumerService {
    private final Database db;
    private final SecretRepository repository;
    private final SecretService secrets;
    private final QuotaEnforcer quotas;
    private final Clock clock;

    public SecretConsumerService(Database db, SecretRepository repository, SecretService secrets, QuotaEnforcer quotas,
            Clock clock) {
        this.db = db;
        this.repository = repository;
        this.secrets = secrets;
        this.quotas = quotas;
        this.clock = clock;
    }

    /** Registers a consumer of a secret the caller passed {@code secret_consumers:post} for. */
    public Secret add(RequestContext ctx, Secret secret, SecretConsumer consumer) {
        String secretId = secret.id();
        // A system-scoped caller has no project: its consumer counts against the secret's.
        String project = ctx.systemScoped() ? secret.projectId() : ctx.projectId();
        db.change(h -> {
            if (repository.consumerProject(h, secretId, consumer).isEmpty()) {
                quotas.check(h, project, Resource.CONSUMERS, "SecretConsumer creation");
            }
            repository.addConsumer(h, secretId, project, consumer, clock.millis());
            return null;
        });
        return secrets.authorized(ctx, secret.id(), "secret_consumers:post");
    }

    /**
     * Removes a consumer of a secret the caller passed {@code secret_consumers:delete} for. Only
     * the project that registered it, or the secret's own project, may remove it (or a
     * system-scoped admin, where the policy lets one this far).
     */
    public Secret remove(RequestContext ctx, Secret secret, SecretConsumer consumer) {
        String secretId = secret.id();
        db.change(h -> {
            String owner = repository.consumerProject(h, secretId, consumer)
                    .orElseThrow(() -> ApiException.notFound("Consumer not found."));
            if (!ctx.systemScoped() && !Objects.equals(owner, ctx.projectId())
                    && !Objects.equals(secret.projectId(), ctx.projectId())) {
                throw ApiException.forbidden("Not Allowed. Sorry, only the creator of a consumer can delete it.");
            }
            repository.removeConsumer(h, secretId, consumer, clock.millis());
            return null;
        });
        return secrets.authorized(ctx, secret.id(), "secret_consumers:delete");
    }

    public SecretRepository.ConsumerPage list(RequestContext ctx, String secretId, int limit, int offset) {
        secrets.authorized(ctx, secretId, "secret_consumers:get");
        return db.read(h -> repository.consumerPage(h, secretId, limit, offset));
    }
}
