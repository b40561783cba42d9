package org.portcullis.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.db.Database;
import org.portcullis.stores.SecretBinding;
import org.portcullis.stores.SecretStore;
import org.portcullis.stores.StoreRegistry;
import org.portcullis.stores.StoredRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of {@code manage purge}, one batch per transaction so nodes keep writing in between:
 * rows soft-deleted before a cutoff are removed for good (secrets, containers, orders, transport
 * keys), and payloads of secrets expired before a cutoff are destroyed (row first, then the store's
 * copy, so no row ever points at a destroyed object; the row keeps its metadata and is marked
 * {@code payload_erased_at}).
 */
final class Purger {
    private static final Logger LOG = LoggerFactory.getLogger(Purger.class);
    private static final List<String> SOFT_DELETED = List.of("secrets", "containers", "orders", "transport_keys");

    private record Expired(String id, String projectId, String storeId, byte[] payload) {}

    private final OpsContext ops;
    private final int batch;

    Purger(OpsContext ops, int batch) {
        this.ops = ops;
        this.batch = batch;
    }

    long countDeleted(String table, long cutoff) {
        return ops.db().read(h -> h.createQuery("SELECT count(*) FROM " + table + " WHERE deleted AND deleted_at < :c")
                .bind("c", cutoff).mapTo(Long.class).one());
    }

    long countExpired(long cutoff) {
        return ops.db().read(h -> h.createQuery("SELECT count(*) FROM secrets WHERE NOT deleted AND payload IS NOT NULL "
                + "AND expiration IS NOT NULL AND expiration < :c").bind("c", cutoff).mapTo(Long.class).one());
    }

    static List<String> tables() {
        return SOFT_DELETED;
    }

    /** Removes one table's rows soft-deleted before {@code cutoff}; returns how many. */
    long purgeDeleted(String table, long cutoff, LongConsumer progress) {
        long total = 0;
        String after = "";
        while (true) {
            // Keyset from the last id: without it each batch scanned the table from the start (on
            // PostgreSQL a sequential scan of every row, dead ones included, per batch).
            String from = after;
            List<String> ids = ops.db().write(h -> {
                List<String> page = h.createQuery("SELECT id FROM " + table + " WHERE deleted AND deleted_at < :c "
                        + "AND id > :a ORDER BY id LIMIT :n").bind("c", cutoff).bind("a", from).bind("n", batch)
                        .mapTo(String.class).list();
                if (page.isEmpty()) {
                    return page;
                }
                for (String child : children(table)) { // emptied at deletion already; kept safe for old rows
                    h.createUpdate(child).bindList("ids", page).execute();
                }
                h.createUpdate("DELETE FROM " + table + " WHERE deleted AND id IN (<ids>)").bindList("ids", page).execute();
                return page;
            });
            if (ids.isEmpty()) {
                return total;
            }
            after = ids.get(ids.size() - 1);
            audit(ids, table.equals("secrets") ? AuditTarget.SECRET : target(table), AuditAction.DELETE,
                    "soft-deleted row purged", Map.of("table", table));
            total += ids.size();
            progress.accept(ids.size());
        }
    }

    private static List<String> children(String table) {
        return switch (table) {
            case "secrets" -> List.of("DELETE FROM secret_metadata WHERE secret_id IN (<ids>)",
                    "DELETE FROM secret_consumers WHERE secret_id IN (<ids>)",
                    "DELETE FROM container_secrets WHERE secret_id IN (<ids>)");
            case "containers" -> List.of("DELETE FROM container_secrets WHERE container_id IN (<ids>)",
                    "DELETE FROM container_consumers WHERE container_id IN (<ids>)");
            default -> List.of();
        };
    }

    private static AuditTarget target(String table) {
        return switch (table) {
            case "containers" -> AuditTarget.CONTAINER;
            case "orders" -> AuditTarget.ORDER;
            default -> AuditTarget.TRANSPORT_KEY;
        };
    }

    /** Destroys the payloads of secrets expired before {@code cutoff}; returns how many. */
    long eraseExpired(long cutoff, LongConsumer progress) {
        StoreRegistry stores = ops.stores();
        long total = 0;
        String after = "";
        while (true) {
            String a = after;
            List<Expired> page = ops.db().read(h -> h.createQuery("SELECT id, project_id, store_id, payload FROM secrets "
                            + "WHERE NOT deleted AND payload IS NOT NULL AND expiration IS NOT NULL AND expiration < :c "
                            + "AND id > :a ORDER BY id LIMIT :n").bind("c", cutoff).bind("a", a).bind("n", batch)
                    .map((rs, ctx) -> new Expired(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4))).list());
            if (page.isEmpty()) {
                return total;
            }
            after = page.get(page.size() - 1).id();
            long now = ops.clock().millis();
            List<Expired> marked = ops.db().write(h -> {
                List<Expired> done = new ArrayList<>();
                for (Expired e : page) {
                    int n = h.createUpdate("UPDATE secrets SET payload = NULL, payload_erased_at = :t WHERE id = :id "
                                    + "AND NOT deleted AND store_id = :s AND payload = :p")
                            .bind("t", now).bind("id", e.id()).bind("s", e.storeId()).bind("p", e.payload()).execute();
                    if (n == 1) {
                        done.add(e);
                    }
                }
                return done;
            });
            for (Expired e : marked) {
                destroy(stores, e);
            }
            audit(marked.stream().map(Expired::id).toList(), AuditTarget.SECRET_PAYLOAD, AuditAction.DELETE,
                    "expired payload erased", Map.of());
            total += marked.size();
            progress.accept(page.size());
        }
    }

    private static void destroy(StoreRegistry stores, Expired e) {
        try {
            SecretStore store = stores.holding(e.storeId());
            store.delete(new SecretBinding(e.id(), e.projectId(), e.storeId()), new StoredRef(e.payload()));
        } catch (RuntimeException ex) {
            LOG.error("secret {}: its expired payload could not be destroyed in its store; `manage orphans` lists it: {}",
                    e.id(), ex.getMessage());
        }
    }

    private void audit(List<String> ids, AuditTarget target, AuditAction action, String name, Map<String, ?> details) {
        for (String id : ids) {
            ops.audit().add(action, target, id, name, details);
        }
        ops.flushAudit();
    }
}
