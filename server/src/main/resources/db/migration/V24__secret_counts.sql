-- A project's list total without counting its rows (issue 12: at 100k secrets the count was 15 ms
-- of CPU per list). secret_counts holds how many live (not deleted) secrets each project has,
-- changed in the same transaction as every insert and soft delete (SecretCounts). A project's
-- count is spread over slots, one per database connection that wrote it, summed on read: two
-- concurrent transactions on PostgreSQL then update different rows instead of queueing on one
-- row lock until the other commits. The live count minus the project's expired-not-deleted rows
-- (counted with the partial index below) is the total of the unfiltered list.
CREATE TABLE secret_counts (
    project_id TEXT NOT NULL,
    slot       INTEGER NOT NULL,
    live       BIGINT NOT NULL,
    PRIMARY KEY (project_id, slot)
);
INSERT INTO secret_counts (project_id, slot, live)
    SELECT project_id, 0, count(*) FROM secrets WHERE NOT deleted GROUP BY project_id;

-- Only rows with an expiration: lists subtract the expired ones from the live count.
CREATE INDEX secrets_expiring_by_project ON secrets (project_id, expiration) WHERE expiration IS NOT NULL AND NOT deleted;

-- The common filtered list (by name, as clients look a secret up): its rows and total come from
-- this index, not from every row of the project.
CREATE INDEX secrets_named_by_project ON secrets (project_id, name, expiration, deleted);
