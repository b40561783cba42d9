package org.portcullis.ops;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.portcullis.audit.OperatorAudit;
import org.portcullis.config.ConfigException;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;

/**
 * What an operator command works with: the node's configuration, its database and stores (opened
 * exactly as a node opens them, so the same checks apply), and, for a command that changes data,
 * the operator audit trail ({@link OperatorAudit}: {@code <file>.manage} beside the node's, held
 * under its lock so two commands never interleave one chain). Read-only commands open no trail
 * and so never wait for, or block, a command that writes one.
 */
public final class OpsContext implements AutoCloseable {
    private final PortcullisConfig config;
    private final Database db;
    private final StoreRegistry stores;
    private final OperatorAudit audit;
    private final Clock clock;

    private OpsContext(PortcullisConfig config, Database db, StoreRegistry stores, OperatorAudit audit, Clock clock) {
        this.config = config;
        this.db = db;
        this.stores = stores;
        this.audit = audit;
        this.clock = clock;
    }

    /** For a read-only command: no audit trail. */
    public static OpsContext open(Path configFile) {
        return open(configFile, null);
    }

    /**
     * For a command that changes data: {@code command} (e.g. "portcullis manage purge") names it in
     * each event. Refused (ConfigException) while another command holds the trail.
     */
    public static OpsContext open(Path configFile, String command) {
        Clock clock = Clock.systemUTC();
        PortcullisConfig config = ConfigLoader.load(configFile);
        Database db = Database.open(config.database());
        StoreRegistry stores = null;
        try {
            stores = StoreRegistry.start(config.stores(), db, clock);
            OperatorAudit audit = command == null ? null : OperatorAudit.open(config.audit(), stores, clock, command);
            return new OpsContext(config, db, stores, audit, clock);
        } catch (IOException e) {
            stores.close();
            db.close();
            throw new ConfigException("the audit trail cannot be opened (" + e.getMessage() + "); nothing was changed");
        } catch (RuntimeException e) {
            if (stores != null) {
                stores.close();
            }
            db.close();
            throw e;
        }
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

    /** The command's trail: queue events with {@code add}, then {@link #flushAudit()}. */
    public OperatorAudit audit() {
        if (audit == null) {
            throw new IllegalStateException("a read-only command has no audit trail");
        }
        return audit;
    }

    /** Writes the queued events; a failure stops the command before it changes more. */
    public void flushAudit() {
        try {
            audit().flush();
        } catch (IOException e) {
            throw new IllegalStateException("the audit trail could not be written (" + e.getMessage()
                    + "); stopping before changing anything more", e);
        }
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

    @Override
    public void close() {
        try {
            if (audit != null) {
                audit.close();
            }
        } catch (IOException e) {
            // every event was flushed (and awaited) when it was written
        } finally {
            try {
                stores.close();
            } finally {
                db.close();
            }
        }
    }
}
