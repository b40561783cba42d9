package org.portcullis.audit;

import org.portcullis.health.HealthCheck;

/**
 * The audit trail as a health check: failing while the trail refuses requests because it cannot
 * write. Asking is also what brings it back: a refusing trail sends its "resumes" probe here.
 */
public record AuditHealthCheck(AuditTrail trail) implements HealthCheck {
    @Override
    public String kind() {
        return "audit";
    }

    @Override
    public String name() {
        return trail.enabled() ? trail.describe() : "disabled";
    }

    @Override
    public Verdict check() {
        long start = System.nanoTime();
        if (!trail.enabled()) {
            return Verdict.healthy("the audit trail is disabled ([audit] enabled = False): development only", 0);
        }
        boolean writable = trail.writable();
        long micros = (System.nanoTime() - start) / 1000;
        return writable ? Verdict.healthy("writable", micros)
                : Verdict.failing("cannot write to " + trail.describe() + ": every API request is refused with 503 "
                        + "until it can (check the disk, mount and permissions; no restart needed)", false, micros);
    }
}
