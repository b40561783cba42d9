package org.portcullis.orders;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An order's row: what was asked for ({@code meta}, as the client sent it), its state, and what
 * it produced (a secret for type key, a container for type asymmetric) or why it failed.
 */
public record Order(
        String id,
        String projectId,
        String creatorId,
        String type,
        ObjectNode meta,
        String status,
        String secretId,
        String containerId,
        String errorStatusCode,
        String errorReason,
        long createdAt,
        long updatedAt) {}
