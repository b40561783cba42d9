package org.portcullis.db;

/**
 * The request's changes could not be committed after its handler had finished (and had written its
 * audit event): nothing was changed, and the event needs a retraction. With {@link
 * #outcomeUnknown} the COMMIT was sent and its answer lost: the changes may be in after all, so
 * nothing that would undo them (a payload's destruction) may run.
 */
public final class CommitFailedException extends RuntimeException {
    private final boolean outcomeUnknown;

    CommitFailedException(RuntimeException cause) {
        this(cause, false);
    }

    CommitFailedException(RuntimeException cause, boolean outcomeUnknown) {
        super("the request's changes could not be committed: " + cause.getMessage(), cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
