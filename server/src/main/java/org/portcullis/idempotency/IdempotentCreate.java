package org.portcullis.idempotency;

import org.jdbi.v3.core.Handle;

/**
 * The {@code Idempotency-Key} of the request this thread is serving (each request has its own
 * virtual thread), recorded by the creating service inside the transaction that inserts the new
 * entity: the key and the entity commit together or not at all, so a client that lost its answer
 * (a node killed mid-request) gets the same ref back on retry, never a second entity.
 */
public final class IdempotentCreate {
    private static final ThreadLocal<Pending> CURRENT = new ThreadLocal<>();

    /** A key seen by {@link IdempotencyKeys#begin} and not yet written. */
    record Pending(String projectId, String key, String requestHash, long now, long cutoff) {}

    /** Another request holds this key (it committed first); this transaction must roll back. */
    static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super("the Idempotency-Key was taken by a concurrent request", null, false, false);
        }
    }

    private IdempotentCreate() {}

    /**
     * Writes the current request's key, if it has one, with the answer it gets: {@code status}
     * and the body's one ref ({@code refName}, a path under the base URL). Call it in the
     * transaction that creates the entity. Throws (rolling that transaction back) if a concurrent
     * request with the same key committed first; the HTTP layer then answers with that one's ref.
     */
    public static void record(Handle h, int status, String refName, String refPath) {
        Pending p = CURRENT.get();
        if (p == null) {
            return;
        }
        int written = h.createUpdate("""
                INSERT INTO idempotency_keys (project_id, idem_key, request_hash, status, ref_name, ref_path, created_at)
                VALUES (:project, :key, :hash, :status, :refName, :refPath, :now)
                ON CONFLICT (project_id, idem_key) DO UPDATE SET request_hash = excluded.request_hash,
                    status = excluded.status, ref_name = excluded.ref_name, ref_path = excluded.ref_path,
                    created_at = excluded.created_at
                WHERE idempotency_keys.created_at < :cutoff""")
                .bind("project", p.projectId()).bind("key", p.key()).bind("hash", p.requestHash())
                .bind("status", status).bind("refName", refName).bind("refPath", refPath)
                .bind("now", p.now()).bind("cutoff", p.cutoff())
                .execute();
        if (written == 0) {
            throw new KeyTaken();
        }
    }

    /** Whether the current request has a key for {@link #record} to write. */
    public static boolean pending() {
        return CURRENT.get() != null;
    }

    static void begin(Pending pending) {
        CURRENT.set(pending);
    }

    static void end() {
        CURRENT.remove();
    }
}
