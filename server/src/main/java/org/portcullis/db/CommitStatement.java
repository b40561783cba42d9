package org.portcullis.db;

/**
 * One change that a request's PostgreSQL transaction sends together with its COMMIT, in the same
 * round trip ({@link Database#changeAtCommit}): a POST's INSERT then costs no round trip of its
 * own. Its failure is the commit's ({@link CommitFailedException}: the event is retracted), so only
 * a change that is not expected to fail may wait for the commit; one the caller must see fail
 * before its audit event is written (a conflict it answers) runs as a {@link Database#change}.
 *
 * @param sql one statement with {@code ?} parameters, no terminating semicolon
 * @param binder sets those parameters
 */
public record CommitStatement(String sql, PlainQuery.Binder binder) {}
