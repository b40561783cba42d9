package org.portcullis.stores;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.portcullis.metrics.Metrics;

/**
 * A store with its operations timed and its failures counted, by store name and operation (both
 * from small fixed sets; never a secret's id). {@code portcullis_store_up} is 1 after an
 * operation succeeded and 0 after one found the backend unavailable, so an alert sees a store
 * that is down as soon as a request meets it. Wraps every plugin alike, so a new backend is
 * measured without code of its own.
 */
final class MeteredStore implements SecretStore {

    private final SecretStore store;
    private final MeterRegistry registry;
    private final String name;
    private final AtomicInteger up = new AtomicInteger(1);
    /**
     * The timer of each operation, made once: building and registering it on every call (meter id,
     * tags, SLO buckets, the registry's lookup) cost a payload read more than recording into it.
     */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    MeteredStore(SecretStore store, MeterRegistry registry) {
        this.store = store;
        this.registry = registry;
        this.name = store.info().name();
        Gauge.builder("portcullis.store.up", up, AtomicInteger::get)
                .description("1 unless the store's last operation found its backend unavailable")
                .tag("store", name).register(registry);
    }

    @Override
    public StoreInfo info() {
        return store.info();
    }

    @Override
    public StoredRef store(SecretBinding binding, byte[] payload) {
        return timed("store", () -> store.store(binding, payload));
    }

    @Override
    public StoredRef store(SecretBinding binding, byte[] payload, Map<String, String> activeKeks) {
        return timed("store", () -> store.store(binding, payload, activeKeks));
    }

    @Override
    public java.util.function.BiFunction<SecretBinding, byte[], StoredRef> batchSealer() {
        java.util.function.BiFunction<SecretBinding, byte[], StoredRef> seal = store.batchSealer();
        return (binding, payload) -> timed("store", () -> seal.apply(binding, payload));
    }

    @Override
    public java.util.List<StoredRef> storeAll(java.util.List<SecretBinding> bindings, java.util.List<byte[]> payloads) {
        return timed("store", () -> store.storeAll(bindings, payloads));
    }

    @Override
    public byte[] retrieve(SecretBinding binding, StoredRef ref) {
        return timed("retrieve", () -> store.retrieve(binding, ref));
    }

    @Override
    public void delete(SecretBinding binding, StoredRef ref) {
        timed("delete", () -> {
            store.delete(binding, ref);
            return null;
        });
    }

    // Rotation runs in `manage kek rotate`; a node only reports on it (kek status, startup checks).
    @Override
    public java.util.Optional<KeyRotation> keyRotation() {
        return store.keyRotation();
    }

    @Override
    public StoreHealth health() {
        StoreHealth h = timed("health", store::health);
        up.set(h.ok() ? 1 : 0);
        return h;
    }

    @Override
    public StoredRef generateSymmetric(SecretBinding binding, String algorithm, int bits, String mode) {
        return timed("generate_symmetric", () -> store.generateSymmetric(binding, algorithm, bits, mode));
    }

    @Override
    public GeneratedPair generateKeyPair(SecretBinding privateKey, SecretBinding publicKey, String algorithm, int bits,
            String passphrase) {
        return timed("generate_key_pair",
                () -> store.generateKeyPair(privateKey, publicKey, algorithm, bits, passphrase));
    }

    private <T> T timed(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            up.set(1);
            return result;
        } catch (StoreException e) {
            String kind = e.unavailable() ? "unavailable" : e.tampered() ? "tampered" : "failed";
            if (e.unavailable()) {
                up.set(0);
            }
            Counter.builder("portcullis.store.errors")
                    .description("Store operations that failed, by kind: unavailable (backend down), tampered "
                            + "(integrity check failed), failed (anything else)")
                    .tags("store", name, "operation", operation, "kind", kind)
                    .register(registry).increment();
            throw e;
        } finally {
            long nanos = System.nanoTime() - start;
            Timer timer = timers.get(operation);
            if (timer == null) {
                timer = timers.computeIfAbsent(operation, this::timer);
            }
            timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String operation) {
        return Timer.builder("portcullis.store.operations")
                .description("Secret store operations, successful or not")
                .tags("store", name, "operation", operation)
                .serviceLevelObjectives(Metrics.LATENCY_BUCKETS)
                .register(registry);
    }
}
