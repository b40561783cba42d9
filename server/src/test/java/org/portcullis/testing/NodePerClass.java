package org.portcullis.testing;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One real node for all tests of a class, on the database a subclass names (the API tests run
 * once per database: {@code FooSqliteIT}, {@code FooPostgresIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class NodePerClass {
    protected TestServer server;

    protected abstract TestDatabases.Kind database();

    /** Lines appended to the node's configuration file. */
    protected List<String> config() {
        return List.of();
    }

    @BeforeAll
    final void startNode() throws Exception {
        server = TestServer.start(database(), config());
    }

    @AfterAll
    final void stopNode() throws Exception {
        server.close();
    }
}
