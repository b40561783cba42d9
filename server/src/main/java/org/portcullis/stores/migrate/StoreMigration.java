package org.portcullis.stores.migrate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.portcullis.db.Database;
import org.portcullis.stores.ExternalObjects;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
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
public final class StoreMigration {
    private static final Logger LOG = LoggerFactory.getLogger(StoreMigration.class);

    /** Told after each batch how many secrets it covered and which were switched. */
    public interface Listener {
        void batch(int covered, List<String> switched);
    }

    /** What a run did: secrets switched, skipped (deleted or changed meanwhile) and failed (with why). */
    public record Outcome(long moved, long skipped, List<String> failures, boolean stopped) {}

    private record Row(String id, String projectId, byte[] payload) {}

    private record Copy(Row row, StoredRef newRef) {}

    private final Database db;
    private final MigrationScope scope;
    private final int batchSize;

    public StoreMigration(Database db, MigrationScope scope, int batchSize) {
        this.db = db;
        this.scope = scope;
        this.batchSize = batchSize;
    }

    /** How many secrets the scope holds now. */
    public long count() {
        return db.read(h -> scope.bind(h.createQuery("SELECT count(*) FROM secrets" + scope.where()))
                .mapTo(Long.class).one());
    }

    /** Runs to the end of the scope, or until {@code keepGoing} (asked between batches) says stop. */
    public Outcome run(Listener listener, BooleanSupplier keepGoing) {
        String after = "";
        long moved = 0;
        long skipped = 0;
        List<String> failures = new ArrayList<>();
        while (true) {
            List<Row> page = page(after);
            if (page.isEmpty()) {
                return new Outcome(moved, skipped, failures, false);
            }
            after = page.get(page.size() - 1).id();
            List<Copy> copies = new ArrayList<>();
            for (Row row : page) {
                try {
                    copies.add(copy(row));
                } catch (RuntimeException e) {
                    failures.add(row.id() + ": " + e.getMessage());
                    LOG.warn("secret {} stays in store '{}': {}", row.id(), scope.from().info().name(), e.getMessage());
                }
            }
            List<String> switched = switchRows(copies);
            for (Copy c : copies) {
                if (switched.contains(c.row().id())) {
                    destroyQuietly(scope.from(), binding(c.row(), scope.from()), c.row().payload());
                } else {
                    destroyQuietly(scope.to(), binding(c.row(), scope.to()), c.newRef() == null ? null : c.newRef().bytes());
                }
            }
            moved += switched.size();
            skipped += copies.size() - switched.size();
            listener.batch(page.size(), switched);
            if (!keepGoing.getAsBoolean()) {
                return new Outcome(moved, skipped, failures, true);
            }
        }
    }

    private List<Row> page(String after) {
        return db.read(h -> scope.bind(h.createQuery("SELECT id, project_id, payload FROM secrets" + scope.where()
                        + " AND id > :after ORDER BY id LIMIT :n"))
                .bind("after", after).bind("n", batchSize)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getBytes(3))).list());
    }

    /** Writes the payload to the new store and checks it reads back the same (null ref: no payload). */
    private Copy copy(Row row) {
        if (row.payload() == null) {
            return new Copy(row, null);
        }
        SecretStore from = scope.from();
        SecretStore to = scope.to();
        byte[] payload = from.retrieve(binding(row, from), new StoredRef(row.payload()));
        SecretBinding target = binding(row, to);
        if (to instanceof ExternalObjects external) {
            // a copy from a run that died before switching: only migrations write under this name
            for (StoredRef leftover : external.find(target)) {
                to.delete(target, leftover);
            }
        }
        StoredRef written = to.store(target, payload);
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
