package org.portcullis.http;

/**
 * What {@link HttpApp} needs from the audit trail (implemented by
 * {@code org.portcullis.audit.AuditTrail}; the HTTP layer does not depend on it). Resources record
 * their own successful actions; denials are recorded here because a 401 or 403 can come from
 * anywhere (authenticator, policy, ACL checks).
 */
public interface AuditHook {
    AuditHook NONE = new AuditHook() {
        @Override
        public void ready() {}

        @Override
        public void denied(Exchange exchange, ApiException denial) {}
    };

    /** Before an API handler runs: throws a 503 {@link ApiException} while the trail cannot be written. */
    void ready();

    /** Records a request refused with 401 or 403; throws a 503 {@link ApiException} if it cannot. */
    void denied(Exchange exchange, ApiException denial);
}
