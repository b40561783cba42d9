package org.portcullis.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;
import org.portcullis.http.Exchange;
import org.portcullis.http.IdempotencyGuard;

/**
 * {@code Idempotency-Key} on {@code POST /v1/secrets}, {@code /v1/containers} and {@code
 * /v1/orders}: a retry with the same key, project and body gets the first answer (same ref, from
 * any node); the same key with another request is a 422; a key is forgotten after its lifetime
 * ({@code [portcullis] idempotency_key_hours}). Errors are not remembered: a request that
 * created nothing may be retried with its key.
 */
public final class IdempotencyKeys implements IdempotencyGuard {
    public static final String HEADER = "Idempotency-Key";
    private static final Set<String> PATHS = Set.of("/v1/secrets", "/v1/containers", "/v1/orders");
    private static final int MAX_KEY = 255;

    private final Database db;
    private final Duration lifetime;
    private final Clock clock;

    public IdempotencyKeys(Database db, Duration lifetime, Clock clock) {
        this.db = db;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    @Override
    public Answer begin(Exchange ex) {
        String key = ex.header(HEADER);
        if (key == null || !PATHS.contains(stripSlash(ex.path()))) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.badRequest("Invalid Idempotency-Key: expected 1 to " + MAX_KEY
                    + " visible ASCII characters.");
        }
        return begin(ex.context().projectId(), key, hash(ex));
    }

    /** The first answer to {@code key}, or null after marking it pending for this thread's transaction. */
    Answer begin(String project, String key, String hash) {
        long now = clock.millis();
        long cutoff = now - lifetime.toMillis();
        Optional<Answer> first = find(project, key, hash, cutoff);
        if (first.isPresent()) {
            return first.get();
        }
        IdempotentCreate.begin(new IdempotentCreate.Pending(project, key, hash, now, cutoff));
        return null;
    }

    @Override
    public Answer raced(Exchange ex, RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IdempotentCreate.KeyTaken) {
                String key = ex.header(HEADER);
                return find(ex.context().projectId(), key, hash(ex), clock.millis() - lifetime.toMillis())
                        .orElseThrow(() -> failure);
            }
        }
        return null;
    }

    @Override
    public void end() {
        IdempotentCreate.end();
    }

    /** Deletes keys past their lifetime; returns how many (run by one node at a time, as a job). */
    public int purgeExpired() {
        long cutoff = clock.millis() - lifetime.toMillis();
        return db.write(h -> h.createUpdate("DELETE FROM idempotency_keys WHERE created_at < :cutoff")
                .bind("cutoff", cutoff).execute());
    }

    private Optional<Answer> find(String project, String key, String hash, long cutoff) {
        return db.read(h -> find(h, project, key, cutoff)).map(row -> {
            if (!row.hash().equals(hash)) {
                throw new ApiException(422, "This Idempotency-Key was already used for a different request; "
                        + "a new request needs a new key.");
            }
            return row.answer();
        });
    }

    private record Row(String hash, Answer answer) {}

    private static Optional<Row> find(Handle h, String project, String key, long cutoff) {
        return h.createQuery("""
                SELECT request_hash, status, ref_name, ref_path FROM idempotency_keys
                WHERE project_id = :project AND idem_key = :key AND created_at >= :cutoff""")
                .bind("project", project).bind("key", key).bind("cutoff", cutoff)
                .map((rs, ctx) -> new Row(rs.getString(1), new Answer(rs.getInt(2), rs.getString(3), rs.getString(4))))
                .findOne();
    }

    /** The request a key stands for: method, path and body (the project is part of the key). */
    private static String hash(Exchange ex) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((ex.method() + " " + stripSlash(ex.path()) + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(ex.body());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
