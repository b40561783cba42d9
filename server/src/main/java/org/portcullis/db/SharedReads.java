package org.portcullis.db;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Reads that concurrent callers with an equal key share: one execution answers every caller that
 * arrived before it started, never one that started earlier. So a caller sees the database as it
 * was at some moment after it asked, as a read of its own would, and an operator's change
 * committed before a request arrived is never hidden from it by a read already under way.
 *
 * <p>Per key one execution runs at a time; callers that arrive meanwhile wait together for the
 * next one, which the first of them runs once the running one has ended. Under load a read of
 * PostgreSQL (a connection checkout, a round trip a virtual thread waits for on the JDK's poller,
 * and the server's own work) then serves every request that came during the previous one, instead
 * of one each. Keys that are not equal never wait for each other. The answer must be immutable:
 * every caller of the execution gets the same object (or the same exception).
 */
final class SharedReads {
    /** The execution after the running one of a key: its callers, and what they get. */
    private static final class Turn {
        final CompletableFuture<Void> go = new CompletableFuture<>(); // the running one has ended
        final CompletableFuture<Object> answer = new CompletableFuture<>();
    }

    /** A key whose read is running; {@code next}, when set, has callers waiting (guarded by the map's bin). */
    private static final class Lane {
        Turn next;
    }

    private final ConcurrentHashMap<Object, Lane> lanes = new ConcurrentHashMap<>();

    /** What {@link #read}'s caller does: run now, run the next turn, or wait for its answer. */
    private record Place(Turn turn, boolean runs) {}

    /**
     * {@code read}'s answer, from this caller's execution or from one that started after it came
     * and runs the same read ({@code key} equal, hence {@code read} equivalent).
     */
    @SuppressWarnings("unchecked")
    <T> T read(Object key, Supplier<T> read) {
        Place place = arrive(key);
        if (!place.runs()) {
            try {
                return (T) place.turn().answer.join();
            } catch (CompletionException e) {
                throw rethrown(e.getCause());
            }
        }
        if (place.turn() != null) {
            place.turn().go.join();
        }
        try {
            T answer = read.get();
            if (place.turn() != null) {
                place.turn().answer.complete(answer);
            }
            return answer;
        } catch (RuntimeException | Error e) {
            if (place.turn() != null) {
                place.turn().answer.completeExceptionally(e);
            }
            throw e;
        } finally {
            handOver(key);
        }
    }

    private Place arrive(Object key) {
        Place[] place = new Place[1];
        lanes.compute(key, (k, lane) -> {
            if (lane == null) {
                place[0] = new Place(null, true);
                return new Lane();
            }
            boolean first = lane.next == null;
            if (first) {
                lane.next = new Turn();
            }
            place[0] = new Place(lane.next, first);
            return lane;
        });
        return place[0];
    }

    /** Ends the key's running execution: starts its next turn, or frees the key when none waits. */
    private void handOver(Object key) {
        Turn[] next = new Turn[1];
        lanes.compute(key, (k, lane) -> {
            next[0] = lane.next;
            lane.next = null;
            return next[0] == null ? null : lane;
        });
        if (next[0] != null) {
            next[0].go.complete(null);
        }
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("a shared read failed", cause);
    }
}
