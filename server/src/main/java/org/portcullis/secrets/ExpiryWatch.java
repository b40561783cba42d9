package org.portcullis.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.audit.AuditTrail;
import org.portcullis.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code [portcullis] expiry_warning_days}: once a minute the node looks for secrets that came
 * within the window of their expiration and warns about each once, in the log and the audit
 * trail. "Once" holds across nodes: a warning is claimed with a conditional UPDATE of
 * {@code expiry_warned_at}, which exactly one node wins, so several nodes may scan at the same
 * time without a lease.
 */
public final class ExpiryWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryWatch.class);
    private static final int PAGE = 500;

    private record Due(String id, String projectId, String name, long expiration) {}

    private final Database db;
    private final AuditTrail audit;
    private final Clock clock;
    private final Duration window;
    private ScheduledExecutorService timer;

    public ExpiryWatch(Database db, AuditTrail audit, Clock clock, int days) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.window = Duration.ofDays(days);
    }

    /** Scans now and then every {@code period}, on a daemon thread. */
    public ExpiryWatch start(Duration period) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("expiry-watch").daemon(true)
                .unstarted(r));
        // the first scan after one period: a starting node has enough to do
        timer.scheduleWithFixedDelay(this::scanQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("expiry warnings: secrets are reported once when they come within {} day(s) of expiring",
                window.toDays());
        return this;
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.warn("expiry scan failed; it runs again in a minute: {}", e.toString());
        }
    }

    /** Warns about every secret newly in the window; returns how many this node warned about. */
    public int scan() {
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
            if (due.size() < PAGE) {
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

    /** Live secrets now inside the warning window, for a gauge. */
    public long inWindow() {
        long now = clock.millis();
        return db.read(h -> h.createQuery("SELECT count(*) FROM secrets WHERE NOT deleted AND expiration > :now "
                        + "AND expiration <= :horizon").bind("now", now).bind("horizon", now + window.toMillis())
                .mapTo(Long.class).one());
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdown(); // a scan in progress finishes: its claims and audit events stay paired
            try {
                timer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
