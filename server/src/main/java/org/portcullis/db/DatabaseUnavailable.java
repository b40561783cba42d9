package org.portcullis.db;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that cannot be reached (down, failing over, refusing connections, no pooled
 * connection within the wait) from a request the database refused. The first is a 503 the
 * client may retry; the second stays a 500 or the error the caller maps it to.
 */
public final class DatabaseUnavailable {
    /** What the client is told: what is wrong and what to do, never a host name or credential. */
    public static final String MESSAGE = "The database is unreachable; the request was not completed. "
            + "Retry later (a create retried with the same Idempotency-Key is never duplicated).";

    private DatabaseUnavailable() {}

    /** True when {@code e} or one of its causes says the database could not be reached. */
    public static boolean causedBy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // Only SQL failures count: a secret store's refused connection is the store's 503.
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && unreachable(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 (connection exception), 57P01-03 (the server is shutting down, crashed or
     * not yet accepting) and 25006 (a read-only transaction: the node we reached was demoted to a
     * replica by a failover).
     */
    static boolean unreachable(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("25006"));
    }
}
