package org.portcullis.stores;

import java.time.Clock;
import java.util.Optional;
import org.portcullis.db.Database;

/**
 * The store each project's new secrets go to ({@code project_secret_store}); without a choice,
 * the global default. Changing it only steers new secrets: existing ones stay where they are.
 */
public final class PreferredStores {
    private final Database db;
    private final StoreRegistry registry;
    private final Clock clock;

    public PreferredStores(Database db, StoreRegistry registry, Clock clock) {
        this.db = db;
        this.registry = registry;
        this.clock = clock;
    }

    public SecretStore storeForNewSecret(String projectId) {
        if (!registry.multipleStores()) {
            return registry.globalDefault();
        }
        return chosenOrDefault(preferred(projectId).orElse(null));
    }

    /**
     * {@link #storeForNewSecret} when the caller read the project's row already ({@code
     * preferredStoreId}, null when the project chose none): the store it names if configured,
     * else the global default.
     */
    public SecretStore chosenOrDefault(String preferredStoreId) {
        if (!registry.multipleStores() || preferredStoreId == null) {
            return registry.globalDefault();
        }
        return registry.byId(preferredStoreId).orElse(registry.globalDefault());
    }

    public Optional<String> preferred(String projectId) {
        return db.read(h -> h.createQuery("SELECT secret_store_id FROM project_secret_store WHERE project_id = :p")
                .bind("p", projectId).mapTo(String.class).findOne());
    }

    public void set(String projectId, String storeId) {
        long now = clock.millis();
        db.change(h -> {
            int updated = h.createUpdate("UPDATE project_secret_store SET secret_store_id = :s, updated_at = :t "
                            + "WHERE project_id = :p")
                    .bind("s", storeId).bind("t", now).bind("p", projectId).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO project_secret_store (project_id, secret_store_id, created_at, updated_at) "
                                + "VALUES (:p, :s, :t, :t)")
                        .bind("p", projectId).bind("s", storeId).bind("t", now).execute();
            }
            return null;
        });
    }

    /** Removes the project's choice, whichever store it is; the store it had chosen, if any. */
    public Optional<String> unset(String projectId) {
        return db.change(h -> {
            Optional<String> chosen = h.createQuery("SELECT secret_store_id FROM project_secret_store WHERE project_id = :p")
                    .bind("p", projectId).mapTo(String.class).findOne();
            h.createUpdate("DELETE FROM project_secret_store WHERE project_id = :p").bind("p", projectId).execute();
            return chosen;
        });
    }
}
