package org.portcullis.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.portcullis.config.ConfigException;
import org.portcullis.stores.ExternalObjects;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreCursor;
import org.portcullis.stores.StoreException;
import org.portcullis.stores.StoredRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portcullis manage orphans}: a read-only report of what nobody seems to use or own:
 * secrets without consumers or containers, rows whose KMIP/Vault object is gone, and KMIP/Vault
 * objects named by Portcullis that no row points at (a crashed run's copy, an object left by a
 * failed delete). It removes nothing: the operator decides.
 */
@Command(name = "orphans", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Report (never remove) orphans: (1) secrets older than --older-than with no consumer and in no "
                + "container; (2) secrets whose KMIP object or Vault entry is gone or unreadable; (3) KMIP objects "
                + "and Vault entries named by Portcullis for a configured store that no secret row points at.",
            "Exit status: 0 nothing found, 1 orphans found (listed), 2 configuration error."})
public final class OrphansCommand implements Callable<Integer> {
    private static final int PAGE = 1000;

    @Option(names = {"-c", "--config"}, required = true, description = "the node's configuration file")
    Path config;

    @Option(names = "--older-than", defaultValue = "90d", converter = Durations.class,
            description = "unused secrets created longer ago than this (default ${DEFAULT-VALUE})")
    Duration olderThan;

    @Option(names = "--max-objects", defaultValue = "100000",
            description = "at most this many objects listed per KMIP/Vault store (default ${DEFAULT-VALUE})")
    int maxObjects;

    private record Row(String id, String projectId, String storeId, byte[] payload, long createdAt) {}

    @Override
    public Integer call() {
        try (OpsContext ops = OpsContext.open(config)) {
            long found = unused(ops) + missingObjects(ops) + objectsWithoutRows(ops);
            System.out.println(found == 0 ? "no orphans" : found + " orphan(s)");
            return found == 0 ? 0 : 1;
        } catch (ConfigException e) {
            System.err.println("portcullis: " + e.getMessage());
            return 2;
        }
    }

    private long unused(OpsContext ops) {
        long cutoff = ops.clock().millis() - olderThan.toMillis();
        List<String[]> rows = ops.db().read(h -> h.createQuery("SELECT x.id, x.project_id, x.name, x.created_at FROM "
                        + "secrets x WHERE NOT x.deleted AND x.created_at < :c AND NOT EXISTS (SELECT 1 FROM "
                        + "secret_consumers c WHERE c.secret_id = x.id) AND NOT EXISTS (SELECT 1 FROM container_secrets cs "
                        + "WHERE cs.secret_id = x.id) ORDER BY x.created_at, x.id")
                .bind("c", cutoff).map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4)).toString()}).list());
        for (String[] r : rows) {
            System.out.printf("unused   secret %s project %s name %s created %s: no consumer, no container%n", r[0], r[1],
                    r[2] == null ? "-" : r[2], r[3]);
        }
        return rows.size();
    }

    private long missingObjects(OpsContext ops) {
        long found = 0;
        for (SecretStore store : ops.stores().all()) {
            if (!(store instanceof ExternalObjects)) {
                continue;
            }
            // A secret created during the check behind the cursor is left to the next check.
            StoreCursor after = StoreCursor.START;
            while (true) {
                StoreCursor from = after;
                List<Row> page = ops.db().read(h -> from.bind(h.createQuery("SELECT id, project_id, store_id, payload, "
                                + "created_at FROM secrets WHERE store_id = :s AND NOT deleted AND payload IS NOT NULL"
                                + StoreCursor.NEXT_PAGE), PAGE)
                        .bind("s", store.info().id())
                        .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4),
                                rs.getLong(5))).list());
                if (page.isEmpty()) {
                    break;
                }
                Row last = page.get(page.size() - 1);
                after = StoreCursor.at(last.createdAt(), last.id());
                for (Row r : page) {
                    try {
                        store.retrieve(new SecretBinding(r.id(), r.projectId(), r.storeId()), new StoredRef(r.payload()));
                    } catch (StoreException e) {
                        if (e.unavailable()) {
                            throw new ConfigException("store '" + store.info().name() + "' is unavailable: "
                                    + e.getMessage());
                        }
                        System.out.printf("missing  secret %s project %s store %s: %s%n", r.id(), r.projectId(),
                                store.info().name(), e.getMessage());
                        found++;
                    }
                }
            }
        }
        return found;
    }

    private long objectsWithoutRows(OpsContext ops) {
        long found = 0;
        for (SecretStore store : ops.stores().all()) {
            if (!(store instanceof ExternalObjects external)) {
                continue;
            }
            List<ExternalObjects.Named> objects = new ArrayList<>(external.named(maxObjects));
            for (ExternalObjects.Named o : objects) {
                byte[] rowRef = ops.db().read(h -> h.createQuery("SELECT payload FROM secrets WHERE id = :id "
                                + "AND store_id = :s AND NOT deleted").bind("id", o.secretId()).bind("s", store.info().id())
                        .mapTo(byte[].class).findOne().orElse(null));
                boolean owned = rowRef != null && (o.ref() == null || new StoredRef(rowRef).equals(o.ref()));
                if (!owned) {
                    System.out.printf("no row   %s in store %s, named for secret %s%n", o.where(), store.info().name(),
                            o.secretId());
                    found++;
                }
            }
        }
        return found;
    }
}
