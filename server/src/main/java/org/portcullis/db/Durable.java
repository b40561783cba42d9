package org.portcullis.db;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Something a request's changes must not be committed before: its audit event being durable. The
 * request goes on while it is written (and, on SQLite, lets the next request use the writer); the
 * commit waits for it, and fails when it fails.
 */
public final class Durable {
    // The refusal is made once, when the event is settled, whoever waits for it and how often.
    private final CompletableFuture<RuntimeException> outcome;

    /**
     * @param done completes when durable; it must complete (or time out) by itself
     * @param refusal what the request answers when {@code done} failed
     */
    public Durable(CompletableFuture<?> done, Function<Throwable, RuntimeException> refusal) {
        this.outcome = done.handle((ok, failed) -> failed == null ? null
                : refusal.apply(failed instanceof CompletionException && failed.getCause() != null
                        ? failed.getCause() : failed));
    }

    /**
     * Runs {@code then} once it is settled, with what {@link #await} returns, on the thread that
     * settles it (this one, if it is settled already): for a waiter that must not park for it.
     */
    void whenSettled(Consumer<RuntimeException> then) {
        outcome.thenAccept(then);
    }

    /** Waits for it: null once durable, else the refusal (the same one on every call). */
    RuntimeException await() {
        return outcome.join();
    }
}
