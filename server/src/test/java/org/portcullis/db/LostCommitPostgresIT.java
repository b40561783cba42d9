package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portcullis.config.DatabaseSettings;
import org.portcullis.testing.TcpProxy;
import org.portcullis.testing.TestDatabases;

/**
 * A request whose connection is cut at its COMMIT, on PostgreSQL: the client cannot know whether
 * the server committed, so the failure says the outcome is unknown and nothing that would undo the
 * change (a payload's destruction) runs. (The committer's batches: StatementCommitterPostgresIT.)
 */
class LostCommitPostgresIT {
    @TempDir
    Path dir;

    @Test
    void aCommitCutOffInItsOwnTransactionIsAnUnknownOutcomeAndUndoesNothing() throws Exception {
        cutAtCommit(db -> Rows.insert(db, "b"));
    }

    @Test
    void aStatementSentWithACommitThatIsCutOffIsAnUnknownOutcomeAndUndoesNothing() throws Exception {
        cutAtCommit(db -> {
            Rows.insert(db, "b");
            assertThat(db.changeAtCommit(Rows.insertAtCommit("c"))).isTrue();
        });
    }

    private void cutAtCommit(Consumer<Database> changes) throws Exception {
        String real = TestDatabases.fresh(TestDatabases.Kind.POSTGRESQL, dir);
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", TestDatabases.port(real))) {
            String viaProxy = TestDatabases.viaPort(real, proxy.port());
            Database db = Database.open(DatabaseSettings.parse(viaProxy, 4, dir));
            try {
                boolean[] undone = {false};
                assertThatThrownBy(() -> db.inRequest(() -> {
                    changes.accept(db);
                    db.afterRollback(() -> undone[0] = true);
                    proxy.close(); // every connection through the proxy ends before the COMMIT's answer
                    return null;
                })).isInstanceOfSatisfying(CommitFailedException.class,
                        e -> assertThat(e.outcomeUnknown()).as(e.toString()).isTrue());
                assertThat(undone[0]).as("a change that may be committed is not undone").isFalse();
            } finally {
                db.close();
            }
        }
    }
}
