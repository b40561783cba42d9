package org.portcullis.quotas;

import java.time.Clock;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatements;
import org.portcullis.config.DatabaseSettings.Kind;
import org.portcullis.config.PortcullisConfig.QuotaDefaults;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;

/**
 * Refuses a creation that would take a project past its quota, with Barbican's 403.
 *
 * <p>Race-free when {@link #check} runs inside the write transaction that inserts the new row,
 * before the insert: on SQLite every write transaction runs alone on the single writer connection
 * (BEGIN IMMEDIATE), so the count cannot change before the insert commits; on PostgreSQL the
 * transaction first takes an advisory lock for (project, resource), held until it commits, so
 * concurrent creations for one project count one after the other — and, at PostgreSQL's default
 * READ COMMITTED, each count sees the rows the previous holder committed. Nodes sharing one
 * database share the lock.
 *
 * <p>How live resources are counted is one SQL query per resource ({@code :project}, {@code
 * :now} epoch millis), in {@link #COUNT_QUERIES}; a feature adds its own when it starts to
 * enforce its quota.
 */
public final class QuotaEnforcer {
    /** Live rows per resource, as Barbican counts them (secrets: not deleted and not expired). */
    static final Map<Resource, String> COUNT_QUERIES = Map.of(
            Resource.SECRETS, "SELECT count(*) FROM secrets WHERE project_id = :project AND NOT deleted "
                    + "AND (expiration IS NULL OR expiration > :now)",
            Resource.CONTAINERS, "SELECT count(*) FROM containers WHERE project_id = :project AND NOT deleted",
            Resource.ORDERS, "SELECT count(*) FROM orders WHERE project_id = :project AND NOT deleted",
            // One 'consumers' quota: the consumers a project registered, on secrets and containers alike.
            Resource.CONSUMERS, "SELECT (SELECT count(*) FROM secret_consumers WHERE project_id = :project) "
                    + "+ (SELECT count(*) FROM container_consumers WHERE project_id = :project)");

    private final Database db;
    private final QuotaRepository repository;
    private final QuotaValues defaults;
    private final Map<Resource, String> countQueries;
    private final Clock clock;

    public QuotaEnforcer(Database db, QuotaRepository repository, QuotaDefaults defaults, Clock clock) {
        this(db, repository, defaults, COUNT_QUERIES, clock);
    }

    QuotaEnforcer(Database db, QuotaRepository repository, QuotaDefaults defaults, Map<Resource, String> countQueries,
            Clock clock) {
        this.db = db;
        this.repository = repository;
        this.defaults = QuotaValues.of(defaults);
        this.countQueries = Map.copyOf(countQueries);
        this.clock = clock;
    }

    /**
     * Throws 403 when the project may not have one more {@code resource}. Call it inside the write
     * transaction that inserts the resource, before the insert.
     */
    public void check(Handle h, String projectId, Resource resource) {
        check(h, projectId, resource, resource.operation());
    }

    /** As {@link #check(Handle, String, Resource)}, naming the operation in the 403 (e.g. "SecretConsumer creation"). */
    public void check(Handle h, String projectId, Resource resource, String operation) {
        enforce(h, projectId, resource, operation, quota(h, projectId, resource));
    }

    /**
     * {@link #check(Handle, String, Resource)} when the caller read the project's own quota for
     * {@code resource} in this request already ({@code own}, null when it set none). What must be
     * read under the write lock to be race-free is the count; a quota changed since the caller's
     * read is a change that came after this request. One statement less while the writer is held
     * (on SQLite the one writer all requests queue for; on PostgreSQL one round trip of every
     * create), and none at all when unlimited.
     */
    public void checkWithOwn(Handle h, String projectId, Resource resource, Integer own) {
        enforce(h, projectId, resource, resource.operation(), effective(own, resource));
    }

    private void enforce(Handle h, String projectId, Resource resource, String operation, int quota) {
        if (isUnlimited(quota)) {
            return;
        }
        if (quota > 0 && db.kind() == Kind.POSTGRESQL) {
            h.createQuery("SELECT pg_advisory_xact_lock(hashtext(:key))")
                    .bind("key", "portcullis-quota/" + resource.apiName() + "/" + projectId)
                    .map((rs, ctx) -> 1).one();
        }
        refuseIfReached(h, projectId, resource, operation, quota);
    }

    /**
     * An early refusal before any expensive work (sealing a payload, creating a project KEK). Not
     * authoritative — two requests can both pass it — so {@link #check} must still run in the
     * write transaction.
     */
    public void precheck(String projectId, Resource resource) {
        db.read(h -> {
            int quota = quota(h, projectId, resource);
            if (!isUnlimited(quota)) {
                refuseIfReached(h, projectId, resource, resource.operation(), quota);
            }
            return null;
        });
    }

    /**
     * {@link #precheck(String, Resource)} when the caller read the project's own quota for {@code
     * resource} already ({@code own}, null when the project set none): counts only when limited.
     */
    public void precheck(String projectId, Resource resource, Integer own) {
        int quota = effective(own, resource);
        if (!isUnlimited(quota)) {
            db.read(h -> {
                refuseIfReached(h, projectId, resource, resource.operation(), quota);
                return null;
            });
        }
    }

    private int quota(Handle h, String projectId, Resource resource) {
        return effective(repository.own(h, projectId, resource), resource);
    }

    /** Whether a project whose own quota for {@code resource} is {@code own} (null: none) has a limit to check. */
    public boolean limited(Resource resource, Integer own) {
        return !isUnlimited(effective(own, resource));
    }

    /** The project's own quota for {@code resource} if it set one, else the configured default. */
    private int effective(Integer own, Resource resource) {
        return own != null ? own : defaults.get(resource);
    }

    /** Barbican: every negative value means unlimited, not only -1. */
    private static boolean isUnlimited(int quota) {
        return quota < 0;
    }

    private void refuseIfReached(Handle h, String projectId, Resource resource, String operation, int quota) {
        if (quota == 0 || count(h, projectId, resource) >= quota) {
            throw new ApiException(403, operation + " issue seen - Creation not allowed because a quota has been reached.");
        }
    }

    private long count(Handle h, String projectId, Resource resource) {
        String sql = countQueries.get(resource);
        if (sql == null) {
            throw new IllegalStateException("no count query for quota '" + resource.apiName()
                    + "': add one to QuotaEnforcer.COUNT_QUERIES");
        }
        return h.createQuery(sql)
                .configure(SqlStatements.class, s -> s.setUnusedBindingAllowed(true)) // not every query needs :now
                .bind("project", projectId).bind("now", clock.millis()).mapTo(Long.class).one();
    }
}
