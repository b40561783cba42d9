package org.portcullis.db;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Something a request's changes must not be committed before: its audit event being durable. The
 * request goes on while it is written (and, on SQLite, lets the next request use the writer); the
 * commit waits for it, and fails when it fails.
 */
public final class Durable {
    private final CompletableFuture<?> done;
    private final Function<Throwable, RuntimeException> refusal;
    private RuntimeException failure;
    private boolean settled;

    /**
     * @param done completes when durable; it must complete (or time out) by itself
     * @param refusal what the request answers when {@code done} failed; called once
     */
    public Durable(CompletableFuture<?> done, Function<Throwable, RuntimeException> refusal) {
        this.done = done;
        this.refusal = refusal;
    }

    /** Waits for it: null once durable, else the refusal (the same one on every call). */
    synchronized RuntimeException await() {
        if (!settled) {
            try {
                done.join();
            } catch (CompletionException | CancellationException e) {
                failure = refusal.apply(e.getCause() == null ? e : e.getCause());
            }
            settled = true;
        }
        return failure;
    }
}
