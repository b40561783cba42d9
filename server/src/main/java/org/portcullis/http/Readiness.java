package org.portcullis.http;

/**
 * Whether this node can serve: consulted by {@code GET /healthcheck} before anything else, so a
 * load balancer takes a node out while its database is unreachable or while it drains.
 */
@FunctionalInterface
public interface Readiness {
    Readiness READY = () -> null;

    /** Null when ready; otherwise what is wrong, in words an operator reads in the check's body. */
    String problem();
}
