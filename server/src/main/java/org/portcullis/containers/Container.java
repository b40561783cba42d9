package org.portcullis.containers;

import java.util.List;

/**
 * A live container with its secrets (in the order they were given) and its consumers.
 *
 * @param creatorId the user who created it; null when the request carried no user id
 */
public record Container(
        String id,
        String projectId,
        String creatorId,
        String name,
        ContainerType type,
        String status,
        long createdAt,
        long updatedAt,
        List<ContainerSecret> secrets,
        List<ContainerConsumer> consumers) {

    public Container {
        secrets = List.copyOf(secrets);
        consumers = List.copyOf(consumers);
    }

    /** The id of the secret referenced under {@code name}, or null. */
    public String secretId(String name) {
        for (ContainerSecret s : secrets) {
            if (name.equals(s.name())) {
                return s.secretId();
            }
        }
        return null;
    }
}
