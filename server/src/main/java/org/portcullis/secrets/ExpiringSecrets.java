package org.portcullis.secrets;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.portcullis.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code portcullis_secrets_expiring}: live secrets whose expiration falls within the warning
 * window from now, counted on each scrape with one range query on {@code secrets.expiration}. A
 * count across all projects: which secrets they are is for the operator's tools, not for labels.
 * NaN while the database cannot be read, so an alert on it does not fire on a guess.
 */
public final class ExpiringSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiringSecrets.class);

    private final Database db;
    private final Clock clock;
    private final Duration window;

    private ExpiringSecrets(Database db, Clock clock, Duration window) {
        this.db = db;
        this.clock = clock;
        this.window = window;
    }

    public static void register(Database db, Clock clock, int warningDays, MeterRegistry registry) {
        ExpiringSecrets expiring = new ExpiringSecrets(db, clock, Duration.ofDays(warningDays));
        Gauge.builder("portcullis.secrets.expiring", expiring, ExpiringSecrets::count)
                .description("Live secrets that expire within the warning window (window_days) from now")
                .tag("window_days", Integer.toString(warningDays))
                .strongReference(true)
                .register(registry);
    }

    double count() {
        long now = clock.millis();
        try {
            return db.read(h -> h.createQuery("SELECT count(*) FROM secrets WHERE expiration > :now "
                            + "AND expiration <= :until AND NOT deleted")
                    .bind("now", now).bind("until", now + window.toMillis()).mapTo(Long.class).one());
        } catch (RuntimeException e) {
            LOG.warn("could not count the secrets that expire soon: {}", e.toString());
            return Double.NaN;
        }
    }
}
