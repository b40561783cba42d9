package org.portcullis.adoption;

import java.util.List;
import java.util.Map;

/**
 * Barbican's entities as the import reads them, with Barbican's internal project ids already
 * turned into Keystone project ids ({@code projects.external_id}) and times into epoch
 * milliseconds (UTC). Only what the Barbican API shows, and what is needed to find a payload.
 */
public final class BarbicanRows {
    private BarbicanRows() {}

    /**
     * @param storePlugin the Barbican plugin class that holds the payload ({@code secret_store_metadata}
     *     plugin_name), null for a secret without payload
     * @param storeMeta the store plugin's own keys ({@code key_uuid} for KMIP, {@code key_id} for Vault)
     * @param encrypted the {@code encrypted_data} row of a store_crypto secret, else null
     */
    public record Secret(String id, String projectId, String creatorId, String name, String secretType,
            String algorithm, Integer bitLength, String mode, Long expiration, String status, long createdAt,
            long updatedAt, boolean deleted, String contentType, String storePlugin, Map<String, String> storeMeta,
            Encrypted encrypted, Map<String, String> userMetadata) {}

    /** One {@code encrypted_data} row and the {@code kek_data} row it names. */
    public record Encrypted(String contentType, String cypherText, String kekId, String kekPlugin,
            String kekMetaExtended) {}

    public record SecretConsumer(String id, String secretId, String projectId, String service, String resourceType,
            String resourceId, long createdAt, long updatedAt) {}

    public record ContainerSecret(String secretId, String name) {}

    public record ContainerConsumer(String id, String containerId, String projectId, String name, String url,
            long createdAt, long updatedAt) {}

    public record Container(String id, String projectId, String creatorId, String name, String type, String status,
            long createdAt, long updatedAt, boolean deleted, List<ContainerSecret> secrets) {}

    /** An ACL of a secret ({@code kind} "secret") or container ("container"). */
    public record Acl(String kind, String entityId, String operation, boolean projectAccess, List<String> users,
            long createdAt, long updatedAt) {}

    public record Order(String id, String projectId, String creatorId, String type, String meta, String status,
            String secretId, String containerId, String errorStatusCode, String errorReason, long createdAt,
            long updatedAt, boolean deleted) {}

    public record Quota(String projectId, Integer secrets, Integer orders, Integer containers, Integer consumers,
            Integer cas, long createdAt, long updatedAt) {}

    /** A {@code secret_stores} row. */
    public record Store(String id, String name, String storePlugin, String cryptoPlugin, boolean globalDefault) {}

    public record TransportKey(String id, String pluginName, String transportKey, long createdAt, long updatedAt,
            boolean deleted) {}

    /** Everything read in one snapshot. {@code preferredStores}: Keystone project id -> Barbican store id. */
    public record Snapshot(String revision, List<Secret> secrets, List<SecretConsumer> secretConsumers,
            List<Container> containers, List<ContainerConsumer> containerConsumers, List<Acl> acls,
            List<Order> orders, List<Quota> quotas, List<Store> stores, Map<String, String> preferredStores,
            List<TransportKey> transportKeys, Map<String, byte[]> wrappedKeks) {}
}
