package org.portcullis.orders;

import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.portcullis.auth.RequestContext;

/**
 * Writes the container an asymmetric order produces (type rsa: public_key, private_key and
 * maybe private_key_passphrase), inside the order's own transaction.
 */
@FunctionalInterface
public interface GeneratedContainers {
    /** Returns the new container's id. */
    String insert(Handle h, RequestContext ctx, String type, String name, Map<String, String> refNameToSecretId);
}
