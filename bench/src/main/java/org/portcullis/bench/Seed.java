package org.portcullis.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.IntStream;
import org.portcullis.config.ConfigLoader;
import org.portcullis.config.PortcullisConfig;
import org.portcullis.db.Database;
import org.portcullis.secrets.Secret;
import org.portcullis.secrets.SecretRepository;
import org.portcullis.secrets.SecretType;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.stores.StoredRef;

/**
 * Fills a node's database with real secrets for the scale bench ({@code bench/scale.sh}), far
 * faster than the API: the node's own configuration, database (Flyway included), store registry
 * and secret repository, so every row is sealed by the global default store exactly as a POST
 * seals it and reads back through the API byte for byte. Rows go in large transactions.
 *
 * <pre>
 *   java -cp portcullis.jar:bench-classes org.portcullis.bench.Seed CONFIG PROJECT COUNT SAMPLE-FILE [SAMPLES]
 * </pre>
 *
 * Adds COUNT opaque secrets to PROJECT (created_at one millisecond apart, so a listing has a
 * stable order) and writes SAMPLES of them, spread evenly, to SAMPLE-FILE as
 * {@code id<TAB>base64(payload)}; a payload is SHA-256 of the secret's index, so any row can be
 * checked. Not for production databases: nothing is audited.
 */
public final class Seed {
    private static final int BATCH = 10_000;

    private Seed() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        if (args.length < 4 || args[0].startsWith("-")) {
            System.err.println("usage: Seed CONFIG PROJECT COUNT SAMPLE-FILE [SAMPLES]   (see bench/scale.sh --help)");
            System.exit(args.length > 0 && (args[0].equals("-h") || args[0].equals("--help")) ? 0 : 2);
        }
        PortcullisConfig config = ConfigLoader.load(Path.of(args[0]));
        String project = args[1];
        int count = Integer.parseInt(args[2]);
        Path sampleFile = Path.of(args[3]);
        int samples = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
        Clock clock = Clock.systemUTC();
        long t0 = System.nanoTime();
        try (Database db = Database.open(config.database());
                StoreRegistry stores = StoreRegistry.start(config.stores(), db, clock)) {
            SecretStore store = stores.globalDefault();
            SecretRepository repository = new SecretRepository();
            int step = Math.max(1, count / Math.max(1, samples));
            long base = clock.millis() - count; // all in the past, one millisecond apart
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(sampleFile, StandardCharsets.UTF_8))) {
                for (int from = 0; from < count; from += BATCH) {
                    int to = Math.min(count, from + BATCH);
                    List<Secret> batch = seal(store, project, base, from, to);
                    db.write(h -> {
                        repository.insertAll(h, batch); // one prepared batch, as an import writes
                        return null;
                    });
                    for (int i = from; i < to; i++) {
                        if (i % step == 0) {
                            out.println(batch.get(i - from).id() + "\t"
                                    + Base64.getEncoder().encodeToString(payload(i)));
                        }
                    }
                    if (to % 100_000 == 0 || to == count) {
                        System.err.printf("seeded %d/%d (%.0f/s)%n", to, count, to / ((System.nanoTime() - t0) / 1e9));
                    }
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("SEED count=%d seconds=%.1f rate=%.0f%n", count, secs, count / secs);
    }

    /** Seals secrets {@code from..to-1} on all cores; the rows are inserted in one transaction after. */
    private static List<Secret> seal(SecretStore store, String project, long base, int from, int to) {
        Secret[] out = new Secret[to - from];
        IntStream.range(from, to).parallel().forEach(i -> {
            String id = UUID.randomUUID().toString();
            StoredRef stored = store.store(new SecretBinding(id, project, store.info().id()), payload(i));
            long t = base + i;
            out[i - from] = new Secret(id, project, "scale-bench", "scale-" + i, SecretType.OPAQUE, null, null, null,
                    null, "ACTIVE", store.info().id(), "application/octet-stream", stored, t, t);
        });
        return new ArrayList<>(List.of(out));
    }

    static byte[] payload(int i) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
