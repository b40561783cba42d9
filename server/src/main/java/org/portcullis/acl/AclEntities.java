package org.portcullis.acl;

/**
 * Finds the secret or container an ACL request names: 404 when it does not exist (before any
 * policy check, as Barbican answers).
 */
@FunctionalInterface
public interface AclEntities {
    AclEntity find(AclEntity.Kind kind, String id);
}
