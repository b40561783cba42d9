package org.portcullis.transport;

import java.time.Clock;
import org.portcullis.auth.Policy;
import org.portcullis.auth.RequestContext;
import org.portcullis.db.Database;
import org.portcullis.http.ApiException;
import org.portcullis.http.Paging;
import org.portcullis.ids.TimeOrderedIds;

/**
 * Transport keys: service administrators register them, every user may read them. They belong to
 * no project.
 */
public final class TransportKeyService {
    static final String NOT_FOUND = "Not Found. Transport Key not found.";

    private final Database db;
    private final TransportKeyRepository repository;
    private final Policy policy;
    private final Clock clock;

    public TransportKeyService(Database db, TransportKeyRepository repository, Policy policy, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Throws the 403 unless {@code ctx} passes {@code rule}. The resource asks before it reads a
     * body: 403 comes before 400, as in Barbican.
     */
    public void authorize(RequestContext ctx, String rule) {
        policy.enforce(ctx, rule);
    }

    /** Registers a transport key; the caller has passed {@code transport_keys:post}. */
    public TransportKey create(NewTransportKey request) {
        long now = clock.millis();
        TransportKey key = new TransportKey(TimeOrderedIds.next(now), request.pluginName(), request.transportKey(),
                now, now);
        db.change(h -> {
            repository.insert(h, key);
            return null;
        });
        return key;
    }

    public TransportKey get(RequestContext ctx, String id) {
        policy.enforce(ctx, "transport_key:get");
        // Barbican 15 answers 500 here (its NotFound is not an HTTP error); this is the 404 it meant.
        return db.read(h -> repository.find(h, id)).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
    }

    public TransportKeyRepository.Page list(RequestContext ctx, String pluginName, Paging paging) {
        policy.enforce(ctx, "transport_keys:get");
        return db.read(h -> repository.list(h, pluginName, paging.limit(), paging.offset()));
    }

    public void delete(RequestContext ctx, String id) {
        policy.enforce(ctx, "transport_key:delete");
        long now = clock.millis();
        if (!db.change(h -> repository.delete(h, id, now))) {
            throw ApiException.notFound(NOT_FOUND);
        }
    }
}
