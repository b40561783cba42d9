package org.portcullis.stores;

import java.util.List;

/**
 * A store whose payloads are objects outside the database, named after the secret they hold
 * (KMIP, Vault). A copy written by a run that died before its row pointed at it can be found by
 * that name again: {@code manage store migrate} removes it before writing anew, {@code manage
 * orphans} reports such objects.
 */
public interface ExternalObjects {
    /** The refs of every object this store holds under {@code binding}'s name (usually none or one). */
    List<StoredRef> find(SecretBinding binding);

    /**
     * One object this store's naming says Portcullis wrote: for which secret, its ref when the name
     * alone does not pin it down (null otherwise), and where it is, for the operator.
     */
    record Named(String secretId, StoredRef ref, String where) {}

    /** Every object named for this store, at most {@code max}. */
    List<Named> named(int max);
}
