package org.portcullis.containers;

/**
 * A service's registration of interest in a container, e.g. a load balancer using a certificate.
 *
 * @param projectId the project of the caller that registered it
 */
public record ContainerConsumer(String id, String projectId, String name, String url, long createdAt,
        long updatedAt) {}
