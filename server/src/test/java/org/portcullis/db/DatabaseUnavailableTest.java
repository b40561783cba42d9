package org.portcullis.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseUnavailableTest {
    private static RuntimeException wrapped(Throwable cause) {
        return new IllegalStateException("outer", new RuntimeException("middle", cause));
    }

    @Test
    void connectionFailuresShutdownsAndADemotedPrimaryAreUnavailable() {
        for (String state : new String[] {"08001", "08006", "08003", "57P01", "57P02", "57P03", "25006"}) {
            assertThat(DatabaseUnavailable.causedBy(wrapped(new SQLException("x", state)))).as(state).isTrue();
        }
        assertThat(DatabaseUnavailable.causedBy(wrapped(new SQLTransientConnectionException("pool timeout"))))
                .isTrue();
    }

    @Test
    void refusedStatementsAndOtherServicesAreNot() {
        assertThat(DatabaseUnavailable.causedBy(wrapped(new SQLException("duplicate", "23505")))).isFalse();
        assertThat(DatabaseUnavailable.causedBy(wrapped(new SQLException("no state")))).isFalse();
        assertThat(DatabaseUnavailable.causedBy(wrapped(new ConnectException("a KMIP server refused"))))
                .as("a secret store's refused connection is not the database").isFalse();
    }
}
