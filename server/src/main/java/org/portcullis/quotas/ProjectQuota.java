package org.portcullis.quotas;

/** The quotas an administrator set for one project; unset values are null. */
public record ProjectQuota(String projectId, QuotaValues values, long createdAt, long updatedAt) {}
