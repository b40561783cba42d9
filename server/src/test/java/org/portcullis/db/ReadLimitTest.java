package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;

class ReadLimitTest {
    private static final int WAIT_SECONDS = 60;

    /** Holds {@code limit}'s only permit on a thread of its own until {@link #release} is called. */
    private static final class Holder {
        final CountDownLatch taken = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread thread;

        Holder(ReadLimit limit) throws InterruptedException {
            thread = Thread.ofPlatform().start(() -> {
                try {
                    read(limit, () -> {
                        taken.countDown();
                        release.await();
                        return null;
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            taken.await();
        }

        void release() throws InterruptedException {
            release.countDown();
            thread.join();
        }
    }

    /** A read of {@code limit}'s, as the database's reads take their turn. */
    private static <T> T read(ReadLimit limit, Callable<T> read) throws Exception {
        boolean admitted = limit.enter();
        try {
            return read.call();
        } finally {
            if (admitted) {
                limit.exit();
            }
        }
    }

    /** Waits (no time limit) until {@code t} is parked, here: queued for a permit (with its timeout). */
    private static void awaitQueued(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
    }

    @Test
    void waitingReadsAreAdmittedInTheOrderTheyArrived() throws Exception {
        ReadLimit limit = ReadLimit.of(1, WAIT_SECONDS);
        Holder holder = new Holder(limit);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            Thread t = Thread.ofPlatform().start(new FutureTask<>(() -> read(limit, () -> order.add(n))));
            awaitQueued(t); // the next one arrives only once this one queues
            readers.add(t);
        }
        holder.release();
        for (Thread t : readers) {
            t.join();
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void aReadThatThrowsGivesItsPermitBack() throws Exception {
        ReadLimit limit = ReadLimit.of(1, WAIT_SECONDS);
        assertThatThrownBy(() -> read(limit, () -> {
            throw new IllegalStateException("the read failed");
        })).hasMessage("the read failed");
        // On another thread, whose read is limited whatever this thread's own mark says.
        FutureTask<String> other = new FutureTask<>(() -> read(limit, () -> "other"));
        Thread.ofPlatform().start(other);
        assertThat(other.get(WAIT_SECONDS, TimeUnit.SECONDS)).as("a permit kept would block it").isEqualTo("other");
        assertThat(read(limit, () -> "read")).isEqualTo("read");
    }

    @Test
    void aReadNestedInAReadOrAWriteIsNotLimitedAgain() throws Exception {
        ReadLimit limit = ReadLimit.of(1, WAIT_SECONDS);
        assertThat(read(limit, () -> read(limit, () -> "nested"))).isEqualTo("nested");
        Holder holder = new Holder(limit);
        try {
            // A write holds a connection: its reads must not queue behind readers that wait for it.
            assertThat(limit.holding(() -> read(limit, () -> "in a write"))).isEqualTo("in a write");
        } finally {
            holder.release();
        }
    }

    @Test
    void aReadThatGetsNoSlotWithinThePoolsWaitIsAnUnreachableDatabaseWhileTheHolderHangs() throws Exception {
        ReadLimit limit = ReadLimit.of(1, 1);
        Holder holder = new Holder(limit); // a read whose query hangs: it keeps its slot throughout
        try {
            FutureTask<String> late = new FutureTask<>(() -> read(limit, () -> "late"));
            Thread.ofPlatform().start(late);
            assertThatThrownBy(late::get).cause()
                    .isInstanceOf(ConnectionException.class)
                    .satisfies(e -> assertThat(DatabaseUnavailable.causedBy(e)).as("a 503").isTrue());
        } finally {
            holder.release();
        }
        assertThat(read(limit, () -> "next")).as("the slot is free again").isEqualTo("next");
    }

    @Test
    void withoutALimitEveryReadRunsAtOnce() throws Exception {
        ReadLimit none = ReadLimit.of(0, WAIT_SECONDS);
        assertThat(read(none, () -> read(none, () -> "free"))).isEqualTo("free");
    }
}
