-- Background jobs run on one node at a time: the node holding a job's row until expires_at runs
-- it and extends the lease as it goes; when that node dies, the lease lapses and another takes over.
CREATE TABLE job_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
