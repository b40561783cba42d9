package org.portcullis.stores;

import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import io.micrometer.core.instrument.MeterRegistry;
import org.portcullis.config.ConfigException;
import org.portcullis.config.PortcullisConfig.StoreSettings;
import org.portcullis.db.Database;
import org.portcullis.db.PlainQuery;
import org.portcullis.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every configured secret store, by id. At start it brings {@code secret_stores} in line with the
 * configuration (a store keeps its id across restarts, so secrets keep pointing at it) and
 * refuses a change that would strand existing secrets, such as a store switched to another plugin.
 */
public final class StoreRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRegistry.class);

    private final boolean multipleStores;
    private final Map<String, SecretStore> byId;
    private final SecretStore globalDefault;
    private final List<SecretStore> plugins;
    private final boolean sealsInProcess;

    private StoreRegistry(boolean multipleStores, Map<String, SecretStore> byId, SecretStore globalDefault,
            List<SecretStore> plugins) {
        this.multipleStores = multipleStores;
        this.byId = Collections.unmodifiableMap(byId);
        this.globalDefault = globalDefault;
        this.plugins = List.copyOf(plugins);
        this.sealsInProcess = byId.values().stream().map(SecretStore::info)
                .allMatch(i -> "store_crypto".equals(i.storePlugin()) && "simple_crypto".equals(i.cryptoPlugin()));
    }

    public static StoreRegistry start(StoreSettings settings, Database db, Clock clock) {
        return start(settings, db, clock, Metrics.NONE);
    }

    /** As {@link #start(StoreSettings, Database, Clock)}, every store's operations measured in {@code meters}. */
    public static StoreRegistry start(StoreSettings settings, Database db, Clock clock, MeterRegistry meters) {
        // before any store is opened: a refusal leaves no connection or session behind
        StrandedStores.refuseIfAny(db, settings.stores().stream().map(StoreSettings.Store::name)
                .collect(java.util.stream.Collectors.toSet()));
        Map<String, SecretStore> stores = new LinkedHashMap<>();
        List<SecretStore> plugins = new ArrayList<>();
        SecretStore globalDefault = null;
        for (StoreSettings.Store configured : settings.stores()) {
            StoreInfo info = sync(db, configured, clock);
            SecretStore plugin = StorePlugins.open(configured, info, db, clock);
            plugins.add(plugin);
            SecretStore store = meters == Metrics.NONE ? plugin : new MeteredStore(plugin, meters);
            stores.put(info.id(), store);
            if (info.globalDefault()) {
                globalDefault = store;
            }
            LOG.info("secret store '{}' ({} / {}){}: {}", info.name(), info.storePlugin(), info.cryptoPlugin(),
                    info.globalDefault() ? " global default" : "", info.id());
        }
        return new StoreRegistry(settings.multipleStores(), stores, globalDefault, plugins);
    }

    private static StoreInfo sync(Database db, StoreSettings.Store configured, Clock clock) {
        try {
            return syncOnce(db, configured, clock);
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            // Nodes starting at once on a new database race to register the store; the loser's
            // insert hits the unique name, and its second look finds the winner's row.
            LOG.info("secret store '{}' was registered by another node meanwhile; reading it", configured.name());
            return syncOnce(db, configured, clock);
        }
    }

    /**
     * A restart with the store as configured only reads its row; a new or changed store is written
     * in one transaction that reads the row again. Both as plain JDBC ({@link PlainQuery}), as
     * {@link StrandedStores}: Jdbi's first statement sets up its flight-recorder event, which the
     * node now pays after it listens.
     */
    private static StoreInfo syncOnce(Database db, StoreSettings.Store configured, Clock clock) {
        Optional<StoreInfo> seen = db.readConnection(conn -> row(conn, configured.name()));
        if (seen.isPresent() && asConfigured(seen.get(), configured)) {
            return seen.get();
        }
        String crypto = configured.cryptoPlugin();
        return db.write(h -> {
            Connection conn = h.getConnection();
            Optional<StoreInfo> existing = row(conn, configured.name());
            long now = clock.millis();
            if (existing.isEmpty()) {
                StoreInfo info = new StoreInfo(UUID.randomUUID().toString(), configured.name(), configured.storePlugin(),
                        crypto, configured.globalDefault(), now, now);
                PlainQuery.change(conn, "INSERT INTO secret_stores (id, name, store_plugin, crypto_plugin, "
                        + "global_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)", ps -> {
                            ps.setString(1, info.id());
                            ps.setString(2, info.name());
                            ps.setString(3, info.storePlugin());
                            ps.setString(4, info.cryptoPlugin());
                            ps.setBoolean(5, info.globalDefault());
                            ps.setLong(6, now);
                            ps.setLong(7, now);
                        });
                return info;
            }
            StoreInfo row = existing.get();
            if (asConfigured(row, configured)) {
                return row;
            }
            if (!samePlugins(row, configured)) {
                int secrets = PlainQuery.query(conn, "SELECT count(*) FROM secrets WHERE store_id = ? AND NOT deleted",
                        rs -> rs.next() ? rs.getInt(1) : 0, row.id());
                if (secrets > 0) {
                    throw new ConfigException("secret store '" + row.name() + "' holds " + secrets + " secrets under "
                            + row.storePlugin() + "/" + row.cryptoPlugin() + " but is now configured as "
                            + configured.storePlugin() + "/" + crypto + "; they would become unreadable. Keep the "
                            + "old plugin under this name and add the new one as another store, then migrate.");
                }
            }
            PlainQuery.change(conn, "UPDATE secret_stores SET store_plugin = ?, crypto_plugin = ?, global_default = ?, "
                    + "updated_at = ? WHERE id = ?", ps -> {
                        ps.setString(1, configured.storePlugin());
                        ps.setString(2, crypto);
                        ps.setBoolean(3, configured.globalDefault());
                        ps.setLong(4, now);
                        ps.setString(5, row.id());
                    });
            return new StoreInfo(row.id(), row.name(), configured.storePlugin(), crypto, configured.globalDefault(),
                    row.createdAt(), now);
        });
    }

    private static Optional<StoreInfo> row(Connection conn, String name) {
        return PlainQuery.query(conn, "SELECT id, name, store_plugin, crypto_plugin, global_default, created_at, "
                + "updated_at FROM secret_stores WHERE name = ?", rs -> rs.next()
                        ? Optional.of(new StoreInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getBoolean(5), rs.getLong(6), rs.getLong(7)))
                        : Optional.empty(), name);
    }

    /** The row names the configured plugins and default flag: nothing to write. */
    private static boolean asConfigured(StoreInfo row, StoreSettings.Store configured) {
        return samePlugins(row, configured) && row.globalDefault() == configured.globalDefault();
    }

    private static boolean samePlugins(StoreInfo row, StoreSettings.Store configured) {
        return row.storePlugin().equals(configured.storePlugin())
                && java.util.Objects.equals(row.cryptoPlugin(), configured.cryptoPlugin());
    }

    /**
     * True when every configured store seals in this process with keys kept in the database
     * (software stores): a seal then costs no backend round trip, so a request may seal while it
     * holds its write transaction.
     */
    public boolean sealsInProcess() {
        return sealsInProcess;
    }

    public boolean multipleStores() {
        return multipleStores;
    }

    public SecretStore globalDefault() {
        return globalDefault;
    }

    public Optional<SecretStore> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The store holding a secret; a secret in a store this node has no configuration for is an error. */
    public SecretStore holding(String storeId) {
        SecretStore store = byId.get(storeId);
        if (store == null) {
            throw new StoreException("the secret is held by store " + storeId + ", which is not configured on this "
                    + "node; the secret is intact but cannot be read until the store is configured again", null);
        }
        return store;
    }

    public List<SecretStore> all() {
        return new ArrayList<>(byId.values());
    }

    /**
     * The plugins themselves, unmeasured, in configuration order: for code that needs a backend's
     * own type (the audit trail's key comes from a software store's KEK). Requests use the others.
     */
    public List<SecretStore> plugins() {
        return plugins;
    }

    /** Releases what stores hold (connections, sessions); a failure to close one does not stop the others. */
    @Override
    public void close() {
        for (SecretStore store : plugins) {
            if (store instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("secret store '{}' did not close cleanly: {}", store.info().name(), e.getMessage());
                }
            }
        }
    }
}
