package org.portcullis.ops;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.portcullis.audit.AuditTrail;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.config.PortcullisConfig.AuditSettings;
import org.portcullis.db.Database;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;

/**
 * What an operator command works with: the node's configuration, its database and stores (opened
 * exactly as a node opens them, so the same checks apply), and an audit trail for the changes it
 * makes. A file trail goes to {@code <file>.manage} beside the node's: one chain has one writer,
 * and a node keeps writing its own while the command runs.
 */
public final class OpsContext implements AutoCloseable {
    private final PortcullisConfig config;
    private final Database db;
    private final StoreRegistry stores;
    private final AuditTrail audit;
    private final Clock clock;

    private OpsContext(PortcullisConfig config, Database db, StoreRegistry stores, AuditTrail audit, Clock clock) {
        this.config = config;
        this.db = db;
        this.stores = stores;
        this.audit = audit;
        this.clock = clock;
    }

    public static OpsContext open(Path configFile) {
        Clock clock = Clock.systemUTC();
        PortcullisConfig config = ConfigLoader.load(configFile);
        Database db = Database.open(config.database());
        StoreRegistry stores = null;
        try {
            stores = StoreRegistry.start(config.stores(), db, clock);
            return new OpsContext(config, db, stores, AuditTrail.start(commandTrail(config.audit()), stores, clock), clock);
        } catch (RuntimeException e) {
            if (stores != null) {
                stores.close();
            }
            db.close();
            throw e;
        }
    }

    static AuditSettings commandTrail(AuditSettings node) {
        if (node.sink() != AuditSettings.Sink.FILE || node.file() == null) {
            return node;
        }
        Path file = node.file().resolveSibling(node.file().getFileName() + ".manage");
        return new AuditSettings(node.enabled(), node.sink(), file, AuditSettings.Fsync.ALWAYS, node.syslogAddress(),
                node.syslogFacility(), node.hmacKeyFile());
    }

    public PortcullisConfig config() {
        return config;
    }

    public Database db() {
        return db;
    }

    public StoreRegistry stores() {
        return stores;
    }

    public AuditTrail audit() {
        return audit;
    }

    public Clock clock() {
        return clock;
    }

    /** A configured store by its name in the configuration. */
    public SecretStore store(String name) {
        return stores.all().stream().filter(s -> s.info().name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException("no secret store named '" + name + "' is configured (configured: "
                        + String.join(", ", stores.all().stream().map(s -> s.info().name()).toList()) + ")"));
    }

    /** Waits until the events are durable; a failure stops the command before it changes more. */
    public static void awaitAudit(List<CompletableFuture<Void>> events) {
        try {
            CompletableFuture.allOf(events.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the audit trail could not be written (" + e.getMessage()
                    + "); stopping before changing anything more", e);
        }
    }

    @Override
    public void close() {
        try {
            audit.close();
        } catch (java.io.IOException e) {
            // the events were awaited as they were written
        } finally {
            try {
                stores.close();
            } finally {
                db.close();
            }
        }
    }
}
