package org.portcullis.stores;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each store's latest {@link SecretStore#health()}, reused for {@link #MAX_AGE_MILLIS} so that
 * listing the stores does not round-trip every backend on every call (an HSM or KMIP server
 * should not be hammered by a dashboard).
 */
public final class StoreStatus {
    static final long MAX_AGE_MILLIS = 5_000;

    private record Entry(StoreHealth health, long at) {}

    private final Clock clock;
    private final Map<String, Entry> byStore = new ConcurrentHashMap<>();

    public StoreStatus(Clock clock) {
        this.clock = clock;
    }

    public StoreHealth of(SecretStore store) {
        long now = clock.millis();
        Entry e = byStore.get(store.info().id());
        if (e == null || now - e.at() >= MAX_AGE_MILLIS) {
            StoreHealth h;
            try {
                h = store.health();
            } catch (RuntimeException ex) {
                h = new StoreHealth(false, "health check failed: " + ex.getMessage(), false, 0);
            }
            e = new Entry(h, now);
            byStore.put(store.info().id(), e);
        }
        return e.health();
    }
}
