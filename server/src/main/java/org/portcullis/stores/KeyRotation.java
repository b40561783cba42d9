package org.portcullis.stores;

import java.util.List;

/**
 * A store whose project KEKs are wrapped by a master key that can be rotated (software: master
 * KEK files; PKCS#11: MKEK and HMAC labels). {@code manage kek rotate} drives it one batch at a
 * time; the database is the progress, so a run that dies is resumed by running it again.
 */
public interface KeyRotation {
    /** One master key: its id (fingerprint), its state in {@code master_keys}, and what it still protects. */
    record KeyUse(String keyId, String state, int projectKeks, long payloads) {}

    /**
     * One change written: {@code rewrap} (a project KEK wrapped again under the current master key),
     * {@code new-kek} (a fresh active project KEK) or {@code reseal} (a payload encrypted again
     * under its project's active KEK).
     */
    record Change(String kind, String targetId, String projectId, String from, String to) {}

    /** The master key id new and re-wrapped project KEKs get. */
    String currentKeyId();

    /** Every master key the store has known, current first, with what it protects (a full scan). */
    List<KeyUse> usage();

    /** Project KEKs still wrapped by another master key than the current one. */
    int pendingProjectKeks();

    /** Told of each transaction's changes right after its commit (to audit them and count them). */
    interface Committed {
        void accept(List<Change> changes);
    }

    /**
     * Does one step: re-wraps up to {@code batch} project KEKs, or with {@code reseal} finishes one
     * project KEK (fresh KEK for its project, its payloads re-sealed {@code batch} per transaction,
     * then the re-wrap). Returns how many changes were committed; 0 when nothing is left.
     */
    int step(int batch, boolean reseal, Committed committed);

    /** Marks retired the previous master keys no project KEK needs any more; returns their ids. */
    List<String> retireUnused();
}
