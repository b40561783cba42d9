package org.portcullis.db;

/**
 * The request's changes could not be committed after its handler had finished (and had written its
 * audit event): nothing was changed, and the event needs a retraction.
 */
public final class CommitFailedException extends RuntimeException {
    CommitFailedException(RuntimeException cause) {
        super("the request's changes could not be committed: " + cause.getMessage(), cause);
    }
}
