package org.portcullis.secrets;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.audit.AuditTrail;
import org.portcullis.db.Database;
import org.portcullis.db.JobLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [portcullis] expiry_warning_days}: once a minute one node of the cluster (whichever holds
 * the {@code expiry-warnings} job lease) looks for secrets that came within the window of their
 * expiration and warns about each once, in the log and the audit trail. The lease only saves the
 * other nodes the same work: "once" is held by a conditional UPDATE of {@code expiry_warned_at},
 * which exactly one scan wins, so scans that overlap (a lease lost mid-scan, a test) stay correct.
 * The same window's count is the {@code portcullis_secrets_expiring} gauge ({@link #meter}).
 */
public final class ExpiryWatch {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryWatch.class);
    private static final int PAGE = 500;

    private record Due(String id, String projectId, String name, long expiration) {}

    private final Database db;
    private final AuditTrail audit;
    private final Clock clock;
    private final Duration window;

    public ExpiryWatch(Database db, AuditTrail audit, Clock clock, int days) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.window = Duration.ofDays(days);
    }

    /** Scans every {@code period} (the first after one period) on whichever node holds the job's lease. */
    public ExpiryWatch start(JobLease jobs, Duration period) {
        jobs.every("expiry-warnings", period, lease -> scanQuietly(lease::renew));
        LOG.info("expiry warnings: secrets are reported once when they come within {} day(s) of expiring",
                window.toDays());
        return this;
    }

    private void scanQuietly(BooleanSupplier keepGoing) {
        try {
            scan(keepGoing);
        } catch (RuntimeException e) {
            LOG.warn("expiry scan failed; it runs again in a minute: {}", e.toString());
        }
    }

    /** Warns about every secret newly in the window; returns how many this node warned about. */
    public int scan() {
        return scan(() -> true);
    }

    /** Scans page by page while {@code keepGoing} (the job's lease renewal) says so. */
    private int scan(BooleanSupplier keepGoing) {
        int warned = 0;
        while (true) {
            long now = clock.millis();
            List<Due> due = db.read(h -> h.createQuery("SELECT id, project_id, name, expiration FROM secrets "
                            + "WHERE NOT deleted AND expiry_warned_at IS NULL AND expiration IS NOT NULL "
                            + "AND expiration > :now AND expiration <= :horizon ORDER BY expiration, id LIMIT :n")
                    .bind("now", now).bind("horizon", now + window.toMillis()).bind("n", PAGE)
                    .map((rs, ctx) -> new Due(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4))).list());
            for (Due d : due) {
                if (claim(d.id(), now)) {
                    warn(d);
                    warned++;
                }
            }
            if (due.size() < PAGE || !keepGoing.getAsBoolean()) {
                return warned;
            }
        }
    }

    private boolean claim(String id, long now) {
        return db.write(h -> h.createUpdate("UPDATE secrets SET expiry_warned_at = :t WHERE id = :id "
                + "AND expiry_warned_at IS NULL").bind("t", now).bind("id", id).execute() == 1);
    }

    private void warn(Due d) {
        String when = Instant.ofEpochMilli(d.expiration()).toString();
        LOG.warn("secret {} ({}) of project {} expires at {}", d.id(), d.name() == null ? "no name" : d.name(),
                d.projectId(), when);
        try {
            audit.recordSystem(AuditAction.READ, AuditTarget.SECRET, d.id(), "secret expires soon",
                    Map.of("project_id", d.projectId(), "expiration", when)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // give the warning back, so this or another node audits it on a later scan
            db.write(h -> h.createUpdate("UPDATE secrets SET expiry_warned_at = NULL WHERE id = :id")
                    .bind("id", d.id()).execute());
            throw new IllegalStateException("the expiry warning for secret " + d.id() + " could not be audited", e);
        }
    }

    /**
     * {@code portcullis_secrets_expiring}: {@link #inWindow} on each scrape, on every node (the
     * scan's lease does not matter to a count). Across all projects: which secrets they are is for
     * the operator's tools, not for labels. NaN while the database cannot be read, so an alert on
     * it does not fire on a guess.
     */
    public ExpiryWatch meter(MeterRegistry registry) {
        Gauge.builder("portcullis.secrets.expiring", this, ExpiryWatch::inWindowOrNaN)
                .description("Live secrets that expire within the warning window (window_days) from now")
                .tag("window_days", Long.toString(window.toDays()))
                .strongReference(true)
                .register(registry);
        return this;
    }

    private double inWindowOrNaN() {
        try {
            return inWindow();
        } catch (RuntimeException e) {
            LOG.warn("could not count the secrets that expire soon: {}", e.toString());
            return Double.NaN;
        }
    }

    /** Live secrets now inside the warning window: one range query on {@code secrets.expiration}. */
    public long inWindow() {
        long now = clock.millis();
        return db.read(h -> h.createQuery("SELECT count(*) FROM secrets WHERE NOT deleted AND expiration > :now "
                        + "AND expiration <= :horizon").bind("now", now).bind("horizon", now + window.toMillis())
                .mapTo(Long.class).one());
    }
}
