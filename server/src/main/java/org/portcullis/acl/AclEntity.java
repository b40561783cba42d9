package org.portcullis.acl;

/** What an ACL protects: a secret or a container, and who owns it. */
public record AclEntity(Kind kind, String id, String projectId, String creatorId) {
    public enum Kind {
        SECRET("secret", "secrets"), CONTAINER("container", "containers");

        private final String policyName;
        private final String collection;

        Kind(String policyName, String collection) {
            this.policyName = policyName;
            this.collection = collection;
        }

        /** As policy rules and targets name it: {@code secret}, {@code container}. */
        public String policyName() {
            return policyName;
        }

        /** The URL collection: {@code secrets}, {@code containers}. */
        public String collection() {
            return collection;
        }
    }
}
