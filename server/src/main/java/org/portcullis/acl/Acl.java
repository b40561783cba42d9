package org.portcullis.acl;

import java.util.List;

/** One operation's ACL on a secret or container: whether the project may, and which users may. */
public record Acl(String id, String operation, boolean projectAccess, List<String> users, long createdAt, long updatedAt) {
    public Acl {
        users = List.copyOf(users);
    }
}
