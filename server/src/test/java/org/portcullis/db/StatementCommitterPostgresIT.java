package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.testing.TestDatabases;

/**
 * Requests whose one change is a statement for the commit, on PostgreSQL: committed together by
 * the committer, each still all or nothing (a row that fails fails its own request only).
 */
class StatementCommitterPostgresIT {
    @TempDir
    Path dir;
    private Database db;
    private StatementCommitter committer;

    @BeforeEach
    void open() throws Exception {
        DatabaseSettings settings = DatabaseSettings.parse(TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir), 4, dir);
        db = Database.open(settings);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(settings.jdbcUrl());
        // As the server's pools: a batch goes as one multi-row INSERT, so one bad row fails them all.
        ds.setReWriteBatchedInserts(true);
        if (settings.user() != null) {
            ds.setUser(settings.user());
            ds.setPassword(settings.password());
        }
        committer = new StatementCommitter(ds);
    }

    @AfterEach
    void close() {
        committer.close();
        db.close();
    }

    private static StatementCommitter.Waiting waiting(String id) {
        return new StatementCommitter.Waiting(Rows.insertAtCommit(id), new CompletableFuture<>());
    }

    @Test
    void aBatchCommitsEveryStatementInIt() {
        List<StatementCommitter.Waiting> batch = List.of(waiting("a"), waiting("b"), waiting("c"));
        committer.commitAll(batch);
        assertThat(batch).allSatisfy(w -> assertThat(w.done()).isCompleted());
        assertThat(Rows.ids(db)).containsExactly("a", "b", "c");
    }

    @Test
    void aRowThatFailsFailsItsOwnRequestOnlyAndTheOthersCommit() {
        Rows.insert(db, "a");
        List<StatementCommitter.Waiting> batch = List.of(waiting("b"), waiting("a"), waiting("c"));
        committer.commitAll(batch);
        assertThat(batch.get(0).done()).isCompleted();
        assertThat(batch.get(1).done()).isCompletedExceptionally();
        assertThat(batch.get(1).done().exceptionNow()).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23505");
        assertThat(batch.get(2).done()).isCompleted();
        assertThat(Rows.ids(db)).containsExactly("a", "b", "c");
    }

    @Test
    void aStatementThatCannotBeBoundFailsItsOwnRequestOnly() {
        CommitStatement broken = new CommitStatement(Rows.insertAtCommit("x").sql(), ps -> {
            throw new IllegalStateException("cannot bind");
        });
        List<StatementCommitter.Waiting> batch = List.of(waiting("a"),
                new StatementCommitter.Waiting(broken, new CompletableFuture<>()), waiting("c"));
        committer.commitAll(batch);
        assertThat(batch.get(0).done()).isCompleted();
        assertThat(batch.get(1).done().exceptionNow()).isInstanceOf(IllegalStateException.class);
        assertThat(batch.get(2).done()).isCompleted();
        assertThat(Rows.ids(db)).containsExactly("a", "c");
    }

    @Test
    void onlyARowsOwnFailureIsRunAgainRowByRow() {
        assertThat(StatementCommitter.onARow(new SQLException("duplicate key", "23505"))).isTrue();
        assertThat(StatementCommitter.onARow(new SQLException("value too long", "22001"))).isTrue();
        assertThat(StatementCommitter.onARow(new SQLException("connection lost", "08006"))).isFalse();
        assertThat(StatementCommitter.onARow(new SQLException("shutting down", "57P01"))).isFalse();
        assertThat(StatementCommitter.onARow(new SQLException("no state"))).isFalse();
    }

    @Test
    void aCommitWhoseAnswerWasLostMayHaveCommittedOneTheServerRefusedDidNot() {
        assertThat(StatementCommitter.outcomeUnknown(new SQLException("connection lost", "08006"))).isTrue();
        assertThat(StatementCommitter.outcomeUnknown(new SQLException("no state"))).isTrue();
        assertThat(StatementCommitter.outcomeUnknown(new SQLException("serialization failure", "40001"))).isFalse();
        assertThat(StatementCommitter.outcomeUnknown(new SQLException("shutting down", "57P01"))).isFalse();
    }

    @Test
    void manyRequestsAtOnceCommitEachAndTheOneThatFailsIsACommitFailure() throws Exception {
        Rows.insert(db, "dup");
        List<Future<Object>> results = new ArrayList<>();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) {
                String id = i == 17 ? "dup" : String.format("r%02d", i);
                results.add(requests.submit(() -> db.inRequest(() -> db.changeAtCommit(Rows.insertAtCommit(id)))));
            }
        }
        for (int i = 0; i < results.size(); i++) {
            if (i == 17) {
                Future<Object> failed = results.get(i);
                assertThatThrownBy(failed::get).hasCauseInstanceOf(CommitFailedException.class);
            } else {
                assertThat(results.get(i).get()).isEqualTo(true);
            }
        }
        assertThat(Rows.ids(db)).hasSize(40).contains("dup", "r00", "r39").doesNotContain("r17");
    }

    @Test
    void aRequestWhoseEventIsRefusedSendsNothing() {
        assertThatThrownBy(() -> db.inRequest(() -> {
            db.changeAtCommit(Rows.insertAtCommit("a"));
            Durable refused = new Durable(CompletableFuture.failedFuture(new IllegalStateException("disk full")),
                    failure -> new IllegalStateException("the trail refused the event"));
            assertThat(db.commitAfter(refused)).isTrue();
            return null;
        })).hasMessageContaining("refused the event");
        assertThat(Rows.ids(db)).isEmpty();
    }

    @Test
    void aStatementIsHandedOverOnlyOnceItsEventIsDurableByTheThreadThatMadeItSo() throws Exception {
        CompletableFuture<Void> written = new CompletableFuture<>();
        Durable event = new Durable(written, failure -> new IllegalStateException("refused"));
        FutureTask<Boolean> request = new FutureTask<>(() -> committer.commitAfter(List.of(event),
                Rows.insertAtCommit("a")));
        Thread requestThread = Thread.ofPlatform().start(request);
        while (requestThread.getState() != Thread.State.WAITING) { // parked: waiting for its commit
            Thread.onSpinWait();
        }
        assertThat(Rows.ids(db)).isEmpty();
        written.complete(null);
        assertThat(request.get()).isTrue();
        assertThat(Rows.ids(db)).containsExactly("a");
    }

    @Test
    void aStatementWhoseEventIsRefusedIsNeverHandedOver() {
        Durable refused = new Durable(CompletableFuture.failedFuture(new IllegalStateException("disk full")),
                failure -> new IllegalStateException("refused"));
        Durable written = new Durable(CompletableFuture.completedFuture(null), failure -> new IllegalStateException());
        assertThat(committer.commitAfter(List.of(written, refused), Rows.insertAtCommit("a"))).isFalse();
        assertThat(Rows.ids(db)).isEmpty();
    }

    @Test
    void afterCloseACommitFailsInsteadOfWaiting() {
        committer.close();
        assertThatThrownBy(() -> committer.commitAfter(List.of(), Rows.insertAtCommit("a")))
                .isInstanceOf(CommitFailedException.class);
        assertThat(Rows.ids(db)).isEmpty();
    }
}
