package org.portcullis.audit;

import java.util.Locale;

/** CADF actions (DSP0262 action taxonomy) used by the trail. */
public enum AuditAction {
    CREATE, READ, UPDATE, DELETE,
    /** The node began writing the trail (start, or a new file after rotation). */
    START,
    /** The node stopped (SIGTERM after its drain): the last event of its trail. */
    STOP;

    public String cadf() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What a denied request tried to do, from its HTTP method. */
    static AuditAction ofMethod(String method) {
        return switch (method) {
            case "POST" -> CREATE;
            case "PUT", "PATCH" -> UPDATE;
            case "DELETE" -> DELETE;
            default -> READ;
        };
    }
}
