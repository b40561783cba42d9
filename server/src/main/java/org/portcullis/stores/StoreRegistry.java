package org.portcullis.stores;

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

    private static StoreInfo syncOnce(Database db, StoreSettings.Store configured, Clock clock) {
        String crypto = configured.cryptoPlugin();
        return db.write(h -> {
            Optional<StoreInfo> existing = h.createQuery("SELECT * FROM secret_stores WHERE name = :n")
                    .bind("n", configured.name()).map((rs, ctx) -> new StoreInfo(rs.getString("id"), rs.getString("name"),
                            rs.getString("store_plugin"), rs.getString("crypto_plugin"), rs.getBoolean("global_default"),
                            rs.getLong("created_at"), rs.getLong("updated_at")))
                    .findOne();
            long now = clock.millis();
            if (existing.isEmpty()) {
                StoreInfo info = new StoreInfo(UUID.randomUUID().toString(), configured.name(), configured.storePlugin(),
                        crypto, configured.globalDefault(), now, now);
                h.createUpdate("INSERT INTO secret_stores (id, name, store_plugin, crypto_plugin, global_default, "
                                + "created_at, updated_at) VALUES (:id, :n, :sp, :cp, :g, :t, :t)")
                        .bind("id", info.id()).bind("n", info.name()).bind("sp", info.storePlugin())
                        .bind("cp", info.cryptoPlugin()).bind("g", info.globalDefault()).bind("t", now).execute();
                return info;
            }
            StoreInfo row = existing.get();
            boolean samePlugins = row.storePlugin().equals(configured.storePlugin())
                    && java.util.Objects.equals(row.cryptoPlugin(), crypto);
            if (!samePlugins) {
                int secrets = h.createQuery("SELECT count(*) FROM secrets WHERE store_id = :s AND NOT deleted")
                        .bind("s", row.id()).mapTo(Integer.class).one();
                if (secrets > 0) {
                    throw new ConfigException("secret store '" + row.name() + "' holds " + secrets + " secrets under "
                            + row.storePlugin() + "/" + row.cryptoPlugin() + " but is now configured as "
                            + configured.storePlugin() + "/" + crypto + "; they would become unreadable. Keep the "
                            + "old plugin under this name and add the new one as another store, then migrate.");
                }
            }
            if (!samePlugins || row.globalDefault() != configured.globalDefault()) {
                h.createUpdate("UPDATE secret_stores SET store_plugin = :sp, crypto_plugin = :cp, global_default = :g, "
                                + "updated_at = :t WHERE id = :id")
                        .bind("sp", configured.storePlugin()).bind("cp", crypto).bind("g", configured.globalDefault())
                        .bind("t", now).bind("id", row.id()).execute();
                return new StoreInfo(row.id(), row.name(), configured.storePlugin(), crypto, configured.globalDefault(),
                        row.createdAt(), now);
            }
            return row;
        });
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
