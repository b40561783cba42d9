-- Quotas an administrator set for one project (Barbican's project_quotas). A NULL column means
-- "not set here": the [quotas] default of the configuration applies. -1 (any negative) is
-- unlimited, 0 disables creation. Not soft-deleted, as in Barbican.
CREATE TABLE project_quotas (
    project_id  TEXT PRIMARY KEY,
    secrets     INTEGER,
    orders      INTEGER,
    containers  INTEGER,
    consumers   INTEGER,
    cas         INTEGER,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
-- The list endpoint pages in creation order.
CREATE INDEX project_quotas_by_created ON project_quotas (created_at, project_id);
