package org.portcullis.adoption;

/** The import stops before writing anything: wrong KEK, conflicting ids, unusable source. */
public final class ImportRefused extends RuntimeException {
    public ImportRefused(String message) {
        super(message);
    }
}
