package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.testing.TestDatabases;

/**
 * A request's changes on PostgreSQL, where the first change of a transaction runs without a
 * savepoint (its failure rolls back the whole, still empty, transaction) and savepoints are never
 * released: a failed change that the caller catches still leaves nothing of itself, the request
 * goes on, and what it kept commits.
 */
class RequestTransactionPostgresIT {
    @TempDir
    Path dir;
    private Database db;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(DatabaseSettings.parse(TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir), 4, dir));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void insert(String id) {
        Rows.insert(db, id);
    }

    private List<String> ids() {
        return Rows.ids(db);
    }

    /** Runs {@code change} as a change that fails; the caller catches it and goes on. */
    private void failing(org.jdbi.v3.core.HandleCallback<Void, RuntimeException> change) {
        try {
            db.change(change);
        } catch (RuntimeException expected) {
            // the caller goes on
        }
    }

    @Test
    void aFirstChangeThatFailsIsCaughtAndTheRequestGoesOn() throws Exception {
        db.inRequest(() -> {
            failing(h -> {
                Rows.insert(h, "a");
                throw new IllegalArgumentException("a later check failed");
            });
            insert("b");
            return null;
        });
        assertThat(ids()).containsExactly("b");
    }

    @Test
    void aFirstChangeThatTheDatabaseRefusesLeavesTheTransactionUsable() throws Exception {
        insert("a");
        db.inRequest(() -> {
            failing(h -> {
                Rows.insert(h, "x");
                Rows.insert(h, "a"); // duplicate key: PostgreSQL aborts the transaction
                return null;
            });
            insert("b");
            assertThat(ids()).as("the request reads its own kept change only").containsExactly("a", "b");
            return null;
        });
        assertThat(ids()).containsExactly("a", "b");
    }

    @Test
    void aLaterChangeThatFailsLeavesNoPartOfItselfAndKeepsTheEarlierOnes() throws Exception {
        insert("a");
        db.inRequest(() -> {
            insert("b");
            failing(h -> {
                Rows.insert(h, "c");
                Rows.insert(h, "a");
                return null;
            });
            failing(h -> {
                Rows.insert(h, "d");
                throw new IllegalStateException("refused");
            });
            insert("e");
            return null;
        });
        assertThat(ids()).containsExactly("a", "b", "e");
    }

    @Test
    void aNestedChangeThatFailsInsideTheFirstOneUndoesOnlyItself() throws Exception {
        db.inRequest(() -> {
            db.change(h -> {
                Rows.insert(h, "a");
                failing(inner -> {
                    Rows.insert(inner, "b");
                    Rows.insert(inner, "a");
                    return null;
                });
                Rows.insert(h, "c");
                return null;
            });
            return null;
        });
        assertThat(ids()).containsExactly("a", "c");
    }

    @Test
    void aFirstChangeThatFailsAfterANestedOneTakesTheNestedOneWithIt() throws Exception {
        db.inRequest(() -> {
            failing(h -> {
                Rows.insert(h, "a");
                db.change(inner -> {
                    Rows.insert(inner, "b");
                    return null;
                });
                throw new IllegalStateException("refused after the nested change");
            });
            insert("c");
            failing(h -> {
                Rows.insert(h, "d");
                Rows.insert(h, "c");
                return null;
            });
            return null;
        });
        assertThat(ids()).containsExactly("c");
    }

    @Test
    void aHandlerThatThrowsAfterItsChangesLeavesNothing() {
        assertThatThrownBy(() -> db.inRequest(() -> {
            insert("a");
            insert("b");
            throw new IllegalStateException("the audit trail refused the event");
        })).hasMessageContaining("audit trail");
        assertThat(ids()).isEmpty();
    }

    @Test
    void aOneStatementReadSeesWhatIsCommittedAndInsideARequestItsOwnChanges() throws Exception {
        insert("a");
        assertThat(countInOneStatement()).isEqualTo(1);
        db.inRequest(() -> {
            assertThat(countInOneStatement()).isEqualTo(1);
            insert("b");
            assertThat(countInOneStatement()).as("on the request's transaction, not committed yet").isEqualTo(2);
            return null;
        });
        assertThat(countInOneStatement()).isEqualTo(2);
    }

    @Test
    void aCheckHoldsItsLockUntilTheCommitAndTheChangeAfterItCommits() throws Exception {
        db.inRequest(() -> {
            db.check(h -> h.createQuery("SELECT pg_advisory_xact_lock(42)").mapTo(String.class).one());
            insert("a");
            assertThat(lockableElsewhere()).as("held by the request's transaction").isFalse();
            return null;
        });
        assertThat(lockableElsewhere()).isTrue();
        assertThat(ids()).containsExactly("a");
    }

    @Test
    void aChangeThatFailsAfterACheckIsCaughtAndTheCheckRunsAgainSoItsLockHolds() throws Exception {
        insert("a");
        int[] runs = {0};
        db.inRequest(() -> {
            db.check(h -> {
                runs[0]++;
                return h.createQuery("SELECT pg_advisory_xact_lock(42)").mapTo(String.class).one();
            });
            failing(h -> {
                Rows.insert(h, "x");
                Rows.insert(h, "a"); // duplicate key: the whole transaction is rolled back
                return null;
            });
            assertThat(lockableElsewhere()).as("taken again by the check").isFalse();
            insert("b");
            return null;
        });
        assertThat(runs[0]).isEqualTo(2);
        assertThat(ids()).containsExactly("a", "b");
    }

    @Test
    void aCheckThatFailsWhenRunAgainLetsNoChangeFollow() throws Exception {
        int[] runs = {0};
        assertThatThrownBy(() -> db.inRequest(() -> {
            db.check(h -> {
                if (++runs[0] > 1) {
                    throw new IllegalArgumentException("the quota is reached now");
                }
                return null;
            });
            failing(h -> {
                Rows.insert(h, "a");
                throw new IllegalArgumentException("refused");
            });
            insert("b");
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("the quota is reached now");
        assertThat(ids()).isEmpty();
    }

    @Test
    void aStatementSentWithTheCommitCommitsWithTheRequestsOtherChangesAndTheConnectionIsLeftClean() throws Exception {
        db.inRequest(() -> {
            db.check(h -> h.createQuery("SELECT pg_advisory_xact_lock(42)").mapTo(String.class).one());
            insert("a");
            assertThat(db.changeAtCommit(Rows.insertAtCommit("b"))).isTrue();
            assertThat(db.changeAtCommit(Rows.insertAtCommit("c"))).as("one per transaction").isFalse();
            assertThat(countInOneStatement()).as("not sent before the commit").isEqualTo(1);
            return null;
        });
        assertThat(ids()).containsExactly("a", "b");
        assertThat(lockableElsewhere()).as("the COMMIT sent with it ended the transaction").isTrue();
        for (int i = 0; i < 8; i++) { // every pooled connection again: none was left in a transaction
            String id = "r" + i;
            db.inRequest(() -> {
                assertThat(db.changeAtCommit(Rows.insertAtCommit(id))).isTrue();
                return null;
            });
        }
        assertThat(ids()).hasSize(10);
    }

    @Test
    void aStatementSentWithTheCommitThatFailsIsACommitFailureAndLeavesNothing() throws Exception {
        insert("a");
        boolean[] rolledBack = {false};
        assertThatThrownBy(() -> db.inRequest(() -> {
            insert("b");
            db.changeAtCommit(Rows.insertAtCommit("a")); // duplicate key: the server skips the COMMIT
            db.afterRollback(() -> rolledBack[0] = true);
            return null;
        })).isInstanceOf(CommitFailedException.class);
        assertThat(rolledBack[0]).isTrue();
        assertThat(ids()).containsExactly("a");
        assertThat(lockableElsewhere()).isTrue();
        db.inRequest(() -> db.changeAtCommit(Rows.insertAtCommit("c")));
        assertThat(ids()).containsExactly("a", "c");
    }

    @Test
    void aStatementForTheCommitIsNeverSentWhenTheRequestFailsOrItsTransactionIsRolledBack() throws Exception {
        insert("a");
        assertThatThrownBy(() -> db.inRequest(() -> {
            insert("b");
            db.changeAtCommit(Rows.insertAtCommit("c"));
            throw new IllegalStateException("the audit trail refused the event");
        })).hasMessageContaining("audit trail");
        db.inRequest(() -> {
            insert("d");
            failing(h -> {
                db.changeAtCommit(Rows.insertAtCommit("x"));
                throw new IllegalStateException("the change around it failed: it goes with it");
            });
            db.changeAtCommit(Rows.insertAtCommit("e"));
            failing(h -> {
                Rows.insert(h, "a"); // a later change that fails: its savepoint only
                return null;
            });
            return null;
        });
        assertThat(ids()).containsExactly("a", "d", "e");
    }

    @Test
    void outsideARequestNothingWaitsForACommit() {
        assertThat(db.changeAtCommit(Rows.insertAtCommit("a"))).isFalse();
        assertThat(ids()).isEmpty();
    }

    /** Whether another connection gets the check's lock now (and lets it go at once). */
    private boolean lockableElsewhere() throws Exception {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> db.readStatement(h -> h.createQuery(
                "SELECT pg_try_advisory_xact_lock(42)").mapTo(Boolean.class).one())).get();
    }

    private int countInOneStatement() {
        return db.readStatement(Rows::count);
    }
}
