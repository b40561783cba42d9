package org.portcullis.audit;

import org.portcullis.db.CommitFailedException;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;
import org.portcullis.http.Exchange;
import org.portcullis.http.HandlerScope;

/**
 * Runs each API handler inside its request's database transaction ({@link Database#inRequest}):
 * the handler's changes and then its audit event, and only then the commit. A handler that throws —
 * among others because the trail refused its event — leaves nothing behind. If the commit fails
 * after the event was written, the event is retracted ({@link AuditTrail#retract}).
 */
public final class AuditedTransactions implements HandlerScope {
    private final Database db;
    private final AuditTrail trail;

    public AuditedTransactions(Database db, AuditTrail trail) {
        this.db = db;
        this.trail = trail;
        trail.commitsIn(db);
    }

    @Override
    public void run(Exchange exchange, Body body) throws Exception {
        try {
            db.inRequest(() -> {
                body.run();
                return null;
            });
        } catch (CommitFailedException e) {
            trail.retract(exchange, e);
            // Rolled back with its batch because another request's event could not be written:
            // the client gets that 503 (nothing was changed), not a 500.
            if (e.getCause() instanceof ApiException refused) {
                throw refused;
            }
            throw e;
        }
    }
}
