package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedReadsTest {
    private final SharedReads reads = new SharedReads();
    private final AtomicInteger executions = new AtomicInteger();

    /** A read under way on a thread of its own, blocked in its execution until {@code release} counts down. */
    private record Running(FutureTask<Integer> task, CountDownLatch release) {}

    /** Starts a read of {@code key} on a thread of its own and returns once its execution has begun. */
    private Running runningRead(String key) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FutureTask<Integer> task = new FutureTask<>(() -> reads.read(key, () -> {
            int n = executions.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return n;
        }));
        Thread.ofPlatform().start(task);
        started.await();
        return new Running(task, release);
    }

    private FutureTask<Integer> read(String key) {
        FutureTask<Integer> task = new FutureTask<>(() -> reads.read(key, executions::incrementAndGet));
        Thread.ofPlatform().start(task);
        return task;
    }

    /** Waits (no time limit) until {@code t} is parked, here: waiting for the read under way to end. */
    private static void awaitParked(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
    }

    private FutureTask<Integer> parkedRead(String key) {
        Thread[] thread = new Thread[1];
        FutureTask<Integer> task = new FutureTask<>(() -> reads.read(key, executions::incrementAndGet));
        thread[0] = Thread.ofPlatform().start(task);
        awaitParked(thread[0]);
        return task;
    }

    @Test
    void aLoneReadRunsItsOwnExecutionAndFreesItsKey() throws Exception {
        assertThat(reads.read("p", executions::incrementAndGet)).isEqualTo(1);
        assertThat(reads.read("p", executions::incrementAndGet)).isEqualTo(2);
    }

    @Test
    void callersThatArriveDuringARunningReadShareTheNextExecutionNotTheRunningOne() throws Exception {
        Running running = runningRead("p");
        List<FutureTask<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(parkedRead("p"));
        }
        assertThat(executions).hasValue(1);
        running.release().countDown();
        assertThat(running.task().get()).isEqualTo(1);
        for (FutureTask<Integer> w : waiting) {
            assertThat(w.get()).isEqualTo(2); // one execution, begun after all of them asked
        }
        assertThat(executions).hasValue(2);
    }

    @Test
    void readsOfOtherKeysDoNotWait() throws Exception {
        Running running = runningRead("p");
        assertThat(read("q").get()).isEqualTo(2);
        running.release().countDown();
        assertThat(running.task().get()).isEqualTo(1);
    }

    @Test
    void aFailureReachesEveryCallerOfItsExecutionAndTheNextReadRunsAfresh() throws Exception {
        Running running = runningRead("p");
        IllegalStateException failure = new IllegalStateException("database gone");
        FutureTask<Integer> runner = new FutureTask<>(() -> reads.read("p", () -> {
            throw failure;
        }));
        Thread runnerThread = Thread.ofPlatform().start(runner);
        awaitParked(runnerThread);
        FutureTask<Integer> follower = parkedRead("p");
        running.release().countDown();
        running.task().get();
        assertThatThrownBy(runner::get).hasCause(failure);
        assertThatThrownBy(follower::get).hasCause(failure);
        assertThat(reads.read("p", () -> 42)).isEqualTo(42);
    }
}
