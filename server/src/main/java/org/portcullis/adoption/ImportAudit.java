package org.portcullis.adoption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.portcullis.audit.AuditAction;
import org.portcullis.audit.AuditTarget;
import org.portcullis.audit.OperatorAudit;

/**
 * One audit event per entity an import created, updated or deleted, the events of a batch written
 * and flushed (one fsync) inside the transaction that makes the changes, just before it commits: a
 * change never commits without its event, and an audit trail that cannot be written rolls the batch
 * back. Consumer changes name their secret or container.
 */
final class ImportAudit implements Consumer<List<ImportReport.Change>> {
    private final OperatorAudit audit;

    ImportAudit(OperatorAudit audit) {
        this.audit = audit;
    }

    @Override
    public void accept(List<ImportReport.Change> changes) {
        for (ImportReport.Change c : changes) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("source", "barbican");
            details.put("type", c.type());
            if (c.projectId() != null) {
                details.put("project", c.projectId());
            }
            audit.add(action(c.action()), target(c.type()), c.id(), "imported from Barbican", details);
        }
        try {
            audit.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AuditAction action(String action) {
        return switch (action) {
            case "created" -> AuditAction.CREATE;
            case "deleted" -> AuditAction.DELETE;
            case "updated", "set" -> AuditAction.UPDATE;
            default -> throw new IllegalArgumentException("not a change: " + action);
        };
    }

    static AuditTarget target(String type) {
        return switch (type) {
            case SecretImport.TYPE -> AuditTarget.SECRET;
            case "secret consumer" -> AuditTarget.SECRET_CONSUMERS;
            case "secret acl" -> AuditTarget.SECRET_ACL;
            case "container" -> AuditTarget.CONTAINER;
            case "container consumer" -> AuditTarget.CONTAINER_CONSUMERS;
            case "container acl" -> AuditTarget.CONTAINER_ACL;
            case "order" -> AuditTarget.ORDER;
            case "project quota" -> AuditTarget.PROJECT_QUOTAS;
            case "transport key" -> AuditTarget.TRANSPORT_KEY;
            case "preferred store" -> AuditTarget.PREFERRED_STORE;
            default -> throw new IllegalArgumentException("no audit target for " + type);
        };
    }
}
