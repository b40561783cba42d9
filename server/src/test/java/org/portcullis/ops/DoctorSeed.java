package org.portcullis.ops;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.secrets.Secret;
import org.portcullis.secrets.SecretRepository;
import org.portcullis.secrets.SecretType;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;

/**
 * Not a test: fills a node's database for {@code bench/doctor.sh}, {@code bench/ops.sh} and
 * {@code bench/kek-rotate.sh} faster than the API can on a
 * busy machine. {@code DoctorSeed CONFIG N PROJECTS} seals N text payloads through the global
 * default store (the same sealing and the same row as a create; project KEKs made on first use),
 * spread over PROJECTS projects, inserted 2,000 rows per transaction. Run it while no node runs:
 * {@code java -cp server/target/portcullis.jar:server/target/test-classes org.portcullis.ops.DoctorSeed …}.
 */
public final class DoctorSeed {
    private DoctorSeed() {}

    public static void main(String[] args) {
        PortcullisConfig c = ConfigLoader.load(Path.of(args[0]));
        int n = Integer.parseInt(args[1]);
        int projects = Integer.parseInt(args[2]);
        Clock clock = Clock.systemUTC();
        SecretRepository repository = new SecretRepository();
        try (Database db = Database.open(c.database()); StoreRegistry stores = StoreRegistry.start(c.stores(), db, clock)) {
            SecretStore store = stores.globalDefault();
            long t0 = System.nanoTime();
            for (int done = 0; done < n; ) {
                int batch = Math.min(2_000, n - done);
                List<Secret> rows = new ArrayList<>(batch);
                long now = clock.millis();
                List<SecretBinding> bindings = new ArrayList<>(batch);
                List<byte[]> payloads = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    bindings.add(new SecretBinding(UUID.randomUUID().toString(), "seed-" + ((done + i) % projects),
                            store.info().id()));
                    payloads.add(("seeded payload " + (done + i)).getBytes(StandardCharsets.UTF_8));
                }
                var stored = store.storeAll(bindings, payloads);
                for (int i = 0; i < batch; i++) {
                    SecretBinding b = bindings.get(i);
                    rows.add(new Secret(b.secretId(), b.projectId(), "seeder", "seed-" + (done + i), SecretType.OPAQUE,
                            null, null, null, null, "ACTIVE", store.info().id(), "text/plain", stored.get(i), now, now));
                }
                db.write(h -> {
                    rows.forEach(s -> repository.insert(h, s));
                    return null;
                });
                done += batch;
            }
            System.out.printf("SEED secrets=%d projects=%d secs=%.1f%n", n, projects, (System.nanoTime() - t0) / 1e9);
        }
    }
}
