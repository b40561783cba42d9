package org.portcullis.stores.migrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.portcullis.db.Database;
import org.portcullis.stores.ExternalObjects;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreCursor;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoredRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves secrets' payloads from one store to another, keeping every secret's id (so its href,
 * consumers, ACLs and container membership) unchanged.
 *
 * <p>Per batch: each payload is read from the old store, written to the new one, read back and
 * compared; then one transaction switches the rows, each with a conditional UPDATE that only
 * matches the row as it was read (same store, same ref, not deleted), so a concurrent delete or
 * another migrator is detected and its copy destroyed again. Only after that commit are the old
 * copies destroyed: until then every reader finds a payload, and a reader that fetched the old
 * row just before the switch retries once on the new row. A run killed at any point leaves each
 * secret either on its old store or switched; a copy written but never switched is an object
 * named after the secret in the new store, which the next run removes before writing again.
 */
public final class StoreMigration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreMigration.class);

    /** Told after each batch how many secrets it covered and which were switched. */
    public interface Listener {
        void batch(int covered, List<String> switched);
    }

    /** What a run did: secrets switched, skipped (deleted or changed meanwhile) and failed (with why). */
    public record Outcome(long moved, long skipped, List<String> failures, boolean stopped) {}

    private record Row(String id, String projectId, byte[] payload, long createdAt) {}

    private record Copy(Row row, StoredRef newRef) {}

    private final Database db;
    private final MigrationScope scope;
    private final int batchSize;
    private final int workers;
    private final java.util.concurrent.ExecutorService pool;

    /** {@code workers} threads copy each batch side by side; {@link #close} ends them. */
    public StoreMigration(Database db, MigrationScope scope, int batchSize, int workers) {
        this.db = db;
        this.scope = scope;
        this.batchSize = batchSize;
        this.workers = workers;
        this.pool = java.util.concurrent.Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "migrate-copy");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** How many secrets the scope holds now. */
    public long count() {
        return db.read(h -> scope.bind(h.createQuery("SELECT count(*) FROM secrets" + scope.where()))
                .mapTo(Long.class).one());
    }

    /** Runs to the end of the scope, or until {@code keepGoing} (asked between batches) says stop. */
    public Outcome run(Listener listener, BooleanSupplier keepGoing) {
        StoreCursor after = StoreCursor.START;
        long moved = 0;
        long skipped = 0;
        List<String> failures = new ArrayList<>();
        while (true) {
            List<Row> page = page(after);
            if (page.isEmpty()) {
                return new Outcome(moved, skipped, failures, false);
            }
            Row last = page.get(page.size() - 1);
            after = StoreCursor.at(last.createdAt(), last.id());
            List<Copy> copies = copyAll(page, failures);
            java.util.Set<String> switched = new java.util.HashSet<>(switchRows(copies));
            for (Copy c : copies) {
                if (switched.contains(c.row().id())) {
                    destroyQuietly(scope.from(), binding(c.row(), scope.from()), c.row().payload());
                } else {
                    destroyQuietly(scope.to(), binding(c.row(), scope.to()), c.newRef() == null ? null : c.newRef().bytes());
                }
            }
            moved += switched.size();
            skipped += copies.size() - switched.size();
            listener.batch(page.size(), copies.stream().map(c -> c.row().id()).filter(switched::contains).toList());
            if (!keepGoing.getAsBoolean()) {
                return new Outcome(moved, skipped, failures, true);
            }
        }
    }

    /**
     * The scope's next rows after {@code after} ({@link StoreCursor}: none skipped or repeated). A
     * run starts again from the first row, so resuming after a crash skips nothing: what an earlier
     * run switched has left the scope. A secret created during the run with a key behind the cursor
     * (same millisecond as the last row of a page, or another node's clock behind) is left for the
     * next run; the command reports what is left in the store after the run.
     */
    private List<Row> page(StoreCursor after) {
        return db.read(h -> after.bind(scope.bind(h.createQuery("SELECT id, project_id, payload, created_at FROM secrets"
                        + scope.where() + StoreCursor.NEXT_PAGE)), batchSize)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getLong(4))).list());
    }

    /**
     * Copies a page: split into one slice per worker, the slices run side by side (the crypto and
     * the stores' round trips are the cost; the rows switch in one transaction afterwards). In
     * page order; a secret that failed is in {@code failures} and not in the result.
     */
    private List<Copy> copyAll(List<Row> page, List<String> failures) {
        int slices = Math.min(workers, Math.max(1, page.size() / 50));
        int size = (page.size() + slices - 1) / slices;
        List<java.util.concurrent.Future<List<Object>>> parts = new ArrayList<>();
        for (int at = 0; at < page.size(); at += size) {
            List<Row> slice = page.subList(at, Math.min(page.size(), at + size));
            parts.add(pool.submit(() -> copySlice(slice)));
        }
        List<Copy> copies = new ArrayList<>(page.size());
        for (var part : parts) {
            for (Object o : join(part)) {
                if (o instanceof Copy c) {
                    copies.add(c);
                } else {
                    failures.add((String) o);
                }
            }
        }
        return copies;
    }

    private static List<Object> join(java.util.concurrent.Future<List<Object>> part) {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying a batch", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Copies (Copy) or failures ("id: why"), in the slice's order; one storeAll call for the slice. */
    private List<Object> copySlice(List<Row> slice) {
        SecretStore from = scope.from();
        SecretStore to = scope.to();
        Object[] out = new Object[slice.size()];
        List<Integer> at = new ArrayList<>();
        List<SecretBinding> targets = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < slice.size(); i++) {
            Row row = slice.get(i);
            if (row.payload() == null) {
                out[i] = new Copy(row, null);
                continue;
            }
            try {
                byte[] payload = from.retrieve(binding(row, from), new StoredRef(row.payload()));
                SecretBinding target = binding(row, to);
                if (to instanceof ExternalObjects external) {
                    // a copy from a run that died before switching: only migrations write under this name
                    for (StoredRef leftover : external.find(target)) {
                        to.delete(target, leftover);
                    }
                }
                at.add(i);
                targets.add(target);
                payloads.add(payload);
            } catch (RuntimeException e) {
                out[i] = failed(row, e);
            }
        }
        List<StoredRef> written;
        try {
            written = to.storeAll(targets, payloads);
        } catch (RuntimeException e) {
            // one failure spoils the whole call: retry one by one so only that secret stays behind
            written = new ArrayList<>();
            for (int k = 0; k < targets.size(); k++) {
                try {
                    written.add(to.store(targets.get(k), payloads.get(k)));
                } catch (RuntimeException single) {
                    written.add(null);
                    out[at.get(k)] = failed(slice.get(at.get(k)), single);
                }
            }
        }
        for (int k = 0; k < targets.size(); k++) {
            int i = at.get(k);
            if (written.get(k) == null) {
                Arrays.fill(payloads.get(k), (byte) 0);
                continue;
            }
            try {
                out[i] = verify(slice.get(i), targets.get(k), payloads.get(k), written.get(k));
            } catch (RuntimeException e) {
                out[i] = failed(slice.get(i), e);
            }
        }
        return Arrays.asList(out);
    }

    private String failed(Row row, RuntimeException e) {
        LOG.warn("secret {} stays in store '{}': {}", row.id(), scope.from().info().name(), e.getMessage());
        return row.id() + ": " + e.getMessage();
    }

    /** Checks the copy reads back the same bytes; destroys it otherwise. */
    private Copy verify(Row row, SecretBinding target, byte[] payload, StoredRef written) {
        SecretStore to = scope.to();
        try {
            if (!Arrays.equals(payload, to.retrieve(target, written))) {
                throw new StoreException("store '" + to.info().name() + "' gave back other bytes than were written", null);
            }
        } catch (RuntimeException e) {
            destroyQuietly(to, target, written.bytes());
            throw e;
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
        return new Copy(row, written);
    }

    /** One transaction; a row is switched only if it is still exactly as it was read. */
    private List<String> switchRows(List<Copy> copies) {
        if (copies.isEmpty()) {
            return List.of();
        }
        String from = scope.from().info().id();
        String to = scope.to().info().id();
        return db.write(h -> {
            var withPayload = h.prepareBatch("UPDATE secrets SET store_id = :to, payload = :p WHERE id = :id "
                    + "AND store_id = :from AND payload = :old AND NOT deleted");
            var withoutPayload = h.prepareBatch("UPDATE secrets SET store_id = :to WHERE id = :id "
                    + "AND store_id = :from AND payload IS NULL AND NOT deleted");
            List<String> withIds = new ArrayList<>();
            List<String> withoutIds = new ArrayList<>();
            for (Copy c : copies) {
                if (c.newRef() == null) {
                    withoutPayload.bind("to", to).bind("id", c.row().id()).bind("from", from).add();
                    withoutIds.add(c.row().id());
                } else {
                    withPayload.bind("to", to).bind("p", c.newRef().bytes()).bind("id", c.row().id())
                            .bind("from", from).bind("old", c.row().payload()).add();
                    withIds.add(c.row().id());
                }
            }
            List<String> switched = new ArrayList<>();
            collect(withIds.isEmpty() ? new int[0] : withPayload.execute(), withIds, switched);
            collect(withoutIds.isEmpty() ? new int[0] : withoutPayload.execute(), withoutIds, switched);
            return switched;
        });
    }

    private static void collect(int[] counts, List<String> ids, List<String> switched) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 1) {
                switched.add(ids.get(i));
            }
        }
    }

    private static SecretBinding binding(Row row, SecretStore store) {
        return new SecretBinding(row.id(), row.projectId(), store.info().id());
    }

    private static void destroyQuietly(SecretStore store, SecretBinding binding, byte[] ref) {
        if (ref == null) {
            return;
        }
        try {
            store.delete(binding, new StoredRef(ref));
        } catch (RuntimeException e) {
            LOG.error("secret {}: the copy in store '{}' could not be destroyed; `manage orphans` lists it: {}",
                    binding.secretId(), store.info().name(), e.getMessage());
        }
    }
}
