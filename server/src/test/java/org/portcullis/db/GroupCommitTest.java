package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;

/**
 * SQLite group commit: requests share a batch transaction, each in its own savepoint, and the batch
 * commits only once every member's event is durable. The tests hold a member's event (a future they
 * complete) so that the next request provably joins the same batch: no timing is involved.
 */
class GroupCommitTest {
    @TempDir
    Path dir;
    private Database db;
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        db = Database.open(DatabaseSettings.sqliteFile(dir.resolve("t.sqlite"), 4));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void insert(String id) {
        Rows.insert(db, id);
        db.afterCommit(() -> ran.add("commit " + id));
        db.afterRollback(() -> ran.add("rollback " + id));
    }

    private List<String> committed() {
        return Rows.ids(db);
    }

    /** A request in its own thread that changes {@code id}, holds its commit on {@code event}, and says when it has changed. */
    private Future<Void> request(String id, CompletableFuture<?> event, CountDownLatch changed) {
        FutureTask<Void> task = new FutureTask<>(() -> db.inRequest(() -> {
            insert(id);
            db.commitAfter(new Durable(event, cause -> new IllegalStateException("event of " + id + " refused")));
            changed.countDown();
            return null;
        }));
        Thread.ofPlatform().start(task);
        return task;
    }

    @Test
    void aMemberThatThrowsRollsBackOnlyItselfAndNothingCommitsBeforeTheEventsAreDurable() throws Exception {
        CompletableFuture<Void> eventA = new CompletableFuture<>();
        CountDownLatch changedA = new CountDownLatch(1);
        Future<Void> a = request("a", eventA, changedA);
        changedA.await();
        CountDownLatch changedB = new CountDownLatch(1);
        List<Integer> seenByB = new CopyOnWriteArrayList<>();
        FutureTask<Void> b = new FutureTask<>(() -> db.inRequest(() -> {
            insert("b");
            seenByB.add(db.read(Rows::count));
            changedB.countDown();
            throw new IllegalArgumentException("b's handler failed");
        }));
        Thread.ofPlatform().start(b);
        changedB.await();
        assertThat(seenByB).as("b sees a's change: the same batch transaction").containsExactly(2);
        assertThat(committed()).as("a waits for its event").isEmpty();
        eventA.complete(null);
        a.get();
        assertThatThrownBy(b::get).cause().hasMessage("b's handler failed");
        assertThat(committed()).containsExactly("a");
        assertThat(ran).containsExactlyInAnyOrder("rollback b", "commit a");
    }

    @Test
    void anEventThatCannotBeWrittenFailsItsWholeBatch() throws Exception {
        CompletableFuture<Void> eventA = new CompletableFuture<>();
        CountDownLatch changedA = new CountDownLatch(1);
        CountDownLatch changedB = new CountDownLatch(1);
        Future<Void> a = request("a", eventA, changedA);
        changedA.await();
        Future<Void> b = request("b", CompletableFuture.completedFuture(null), changedB);
        changedB.await(); // b changed inside a's batch, which cannot commit before eventA
        eventA.completeExceptionally(new java.io.IOException("disk full"));
        assertThatThrownBy(a::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(IllegalStateException.class).hasMessage("event of a refused");
        assertThatThrownBy(b::get).isInstanceOf(ExecutionException.class).cause()
                .as("b's event was written: its change must be retracted").isInstanceOf(CommitFailedException.class)
                .hasMessageContaining("event of a refused");
        assertThat(committed()).isEmpty();
        assertThat(ran).containsExactlyInAnyOrder("rollback a", "rollback b");
        insert("c");
        assertThat(committed()).as("the next batch works").containsExactly("c");
    }

    @Test
    void aCommitThatFailsFailsEveryMemberAsCommitFailed() throws Exception {
        db.write(h -> h.execute("CREATE TABLE parent (id TEXT PRIMARY KEY)"));
        db.write(h -> h.execute("CREATE TABLE child (id TEXT, parent TEXT REFERENCES parent(id) "
                + "DEFERRABLE INITIALLY DEFERRED)"));
        CompletableFuture<Void> eventA = new CompletableFuture<>();
        CountDownLatch changedA = new CountDownLatch(1);
        Future<Void> a = request("a", eventA, changedA);
        changedA.await();
        // a foreign key checked only at COMMIT: the batch's commit fails
        FutureTask<Void> b = new FutureTask<>(() -> db.inRequest(() -> {
            db.change(h -> h.execute("INSERT INTO child VALUES ('x', 'missing')"));
            db.afterRollback(() -> ran.add("rollback b"));
            eventA.complete(null);
            return null;
        }));
        Thread.ofPlatform().start(b);
        assertThatThrownBy(a::get).cause().isInstanceOf(CommitFailedException.class);
        assertThatThrownBy(b::get).cause().isInstanceOf(CommitFailedException.class).rootCause()
                .hasMessageContaining("FOREIGN KEY");
        assertThat(committed()).isEmpty();
        assertThat(ran).containsExactlyInAnyOrder("rollback a", "rollback b");
    }

    @Test
    void aWriteThatCollidesWithItsBatchFailsOnlyOnceTheOtherRowIsCommitted() throws Exception {
        CompletableFuture<Void> eventA = new CompletableFuture<>();
        CountDownLatch changedA = new CountDownLatch(1);
        Future<Void> a = request("a", eventA, changedA);
        changedA.await();
        List<String> seenAfterFailure = new CopyOnWriteArrayList<>();
        FutureTask<Void> b = new FutureTask<>(() -> {
            try {
                db.write(h -> {
                    eventA.complete(null); // a's batch still needs this writer: b is in it
                    return Rows.insert(h, "a");
                });
            } catch (RuntimeException unique) {
                seenAfterFailure.addAll(committed()); // as a "created by someone else: use theirs" fallback does
            }
            return null;
        });
        Thread.ofPlatform().start(b);
        b.get();
        a.get();
        assertThat(seenAfterFailure).as("the reader sees the row the write collided with").containsExactly("a");
    }

    @Test
    void concurrentRequestsAndWritesAllCommitAndWritesDoNotWaitForEachOther() throws Exception {
        CompletableFuture<Void> eventA = new CompletableFuture<>();
        CountDownLatch changedA = new CountDownLatch(1);
        Future<Void> a = request("a", eventA, changedA);
        changedA.await();
        List<Thread> writers = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int n = t;
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 25; i++) {
                    String id = "w" + n + "-" + i;
                    if (i % 2 == 0) {
                        db.write(h -> Rows.insert(h, id));
                    } else {
                        try {
                            db.inRequest(() -> {
                                insert(id);
                                return null;
                            });
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }
                }
            }));
        }
        // a's batch waits for eventA; the others pile up behind it and commit once it is durable
        eventA.complete(null);
        for (Thread w : writers) {
            w.join();
        }
        a.get();
        assertThat(committed()).hasSize(1 + 8 * 25);
        assertThat(ran).filteredOn(r -> r.startsWith("commit")).hasSize(1 + 8 * 12);
    }
}
