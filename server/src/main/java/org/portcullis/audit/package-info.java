/**
 * The audit trail: CADF events ({@link org.portcullis.audit.AuditEvent}, written as one JSON line
 * by {@link org.portcullis.audit.AuditLine}), chained by HMAC-SHA256 under a key derived from the
 * master KEK ({@link org.portcullis.audit.AuditKey}), written by
 * {@link org.portcullis.audit.AuditTrail} to a file or syslog sink before the response leaves, and
 * checked offline by {@code portcullis manage audit verify} ({@link org.portcullis.audit.AuditVerifier}).
 *
 * <p>Resources call {@code audit.record(exchange, action, target, id)} where their action has
 * succeeded, in plain sight; {@code HttpApp} records 401/403 denials through
 * {@link org.portcullis.http.AuditHook}. What is recorded: secrets (create, payload put and read in
 * both forms, delete, metadata changes), secret consumers, containers (create, delete, consumers,
 * secrets), ACLs of secrets and containers, orders (create, delete), project quotas, preferred
 * stores, transport keys. Not recorded: metadata reads and listings.
 */
package org.portcullis.audit;
