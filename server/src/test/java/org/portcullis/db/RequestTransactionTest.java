package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;

/** A request's changes wait for its handler: committed when it returns, gone when it throws. */
class RequestTransactionTest {
    @TempDir
    Path dir;
    private Database db;

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
    }

    private int count() {
        return db.read(Rows::count);
    }

    @Test
    void aHandlerThatThrowsLeavesNothingAndRunsItsRollbackActions() {
        List<String> ran = new ArrayList<>();
        assertThatThrownBy(() -> db.inRequest(() -> {
            insert("a");
            db.afterRollback(() -> ran.add("rollback"));
            db.afterCommit(() -> ran.add("commit"));
            assertThat(count()).as("the request reads its own change").isEqualTo(1);
            throw new IllegalStateException("the audit trail refused the event");
        })).hasMessageContaining("audit trail");
        assertThat(count()).isZero();
        assertThat(ran).containsExactly("rollback");
    }

    @Test
    void aHandlerThatReturnsCommitsThenRunsItsCommitActions() throws Exception {
        List<String> ran = new ArrayList<>();
        db.inRequest(() -> {
            insert("a");
            db.afterCommit(() -> ran.add("commit after " + count()));
            db.afterRollback(() -> ran.add("rollback"));
            assertThat(ran).isEmpty();
            return null;
        });
        assertThat(ran).containsExactly("commit after 1");
    }

    @Test
    void aFailedChangeThatIsCaughtLeavesNoPartOfItselfBehind() throws Exception {
        db.inRequest(() -> {
            insert("a");
            try {
                db.change(h -> {
                    Rows.insert(h, "b");
                    throw new IllegalArgumentException("a later check failed");
                });
            } catch (IllegalArgumentException expected) {
                // the caller goes on
            }
            return null;
        });
        assertThat(Rows.ids(db)).containsExactly("a");
    }

    @Test
    void aFailedFirstChangeThatIsCaughtLeavesNothingAndTheRequestChangesOn() throws Exception {
        // The first change of a request has no savepoint of its own: its request's stands in.
        db.inRequest(() -> {
            try {
                db.change(h -> {
                    Rows.insert(h, "b");
                    throw new IllegalArgumentException("the quota check failed");
                });
            } catch (IllegalArgumentException expected) {
                // the caller goes on
            }
            insert("a");
            return null;
        });
        assertThat(Rows.ids(db)).containsExactly("a");
    }

    @Test
    void outsideARequestAChangeCommitsAtOnceAndASeparateWriteInsideOneIsRefused() throws Exception {
        List<String> ran = new ArrayList<>();
        insert("a");
        db.afterCommit(() -> ran.add("now"));
        assertThat(count()).isEqualTo(1);
        assertThat(ran).containsExactly("now");
        assertThatThrownBy(() -> db.inRequest(() -> {
            insert("b");
            return db.write(h -> h.execute("DELETE FROM transport_keys"));
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("open transaction");
        assertThat(count()).isEqualTo(1);
    }
}
