-- Idempotency-Key on POST /v1/secrets, /v1/containers and /v1/orders: the first answer to a key,
-- written in the same transaction as the entity it created, so a retry (from any node, after any
-- crash) finds either both or neither. Expired rows are replaced in place and purged by a job.
CREATE TABLE idempotency_keys (
    project_id   TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    ref_name     TEXT NOT NULL,
    ref_path     TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (project_id, idem_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
