package org.portcullis.quotas;

import java.time.Clock;
import java.util.Map;
import org.portcullis.auth.Policy;
import org.portcullis.auth.RequestContext;
import org.portcullis.config.PortcullisConfig.QuotaDefaults;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;
import org.portcullis.http.Paging;

/**
 * Quotas as callers see them: the effective quotas of their own project, and the per-project
 * records service administrators manage.
 */
public final class QuotaService {
    static final String NOT_FOUND = "Project quotas not found.";

    private final Database db;
    private final QuotaRepository repository;
    private final QuotaValues defaults;
    private final Policy policy;
    private final Clock clock;

    public QuotaService(Database db, QuotaRepository repository, QuotaDefaults defaults, Policy policy, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.defaults = QuotaValues.of(defaults);
        this.policy = policy;
        this.clock = clock;
    }

    /** The caller's project's quotas: its own where set, the configured defaults elsewhere. */
    public QuotaValues effective(RequestContext ctx) {
        policy.enforce(ctx, "quotas:get");
        return db.read(h -> repository.find(h, ctx.projectId())).map(ProjectQuota::values)
                .orElse(QuotaValues.UNSET).orElse(defaults);
    }

    /** A project's own record, unset values null; 404 when it has none. */
    public QuotaValues projectQuotas(RequestContext ctx, String projectId) {
        policy.enforce(ctx, "project_quotas:get");
        return db.read(h -> repository.find(h, projectId)).map(ProjectQuota::values)
                .orElseThrow(() -> ApiException.notFound(NOT_FOUND));
    }

    public QuotaRepository.Page list(RequestContext ctx, Paging paging) {
        policy.enforce(ctx, "project_quotas:get");
        return db.read(h -> repository.list(h, paging.limit(), paging.offset()));
    }

    /**
     * Throws the 403 unless {@code ctx} passes {@code rule}. The resource asks before it reads a
     * body: as in Barbican, a caller without the role gets 403 whatever it sent.
     */
    public void authorize(RequestContext ctx, String rule) {
        policy.enforce(ctx, rule);
    }

    /** Sets some of a project's quotas; the caller has passed {@code project_quotas:put}. */
    public void set(String projectId, Map<Resource, Integer> values) {
        db.change(h -> {
            repository.upsert(h, projectId, values, clock.millis());
            return null;
        });
    }

    /** Removes a project's own quotas; the caller has passed {@code project_quotas:delete}. */
    public void delete(String projectId) {
        if (!db.change(h -> repository.delete(h, projectId))) {
            throw ApiException.notFound(NOT_FOUND);
        }
    }
}
