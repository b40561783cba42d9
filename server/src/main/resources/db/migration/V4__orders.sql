-- Orders: server-side generation of keys (type key) and key pairs (type asymmetric). They are
-- processed synchronously, so an order is ACTIVE or ERROR by the time its creation returns.
CREATE TABLE orders (
    id                 TEXT PRIMARY KEY,
    project_id         TEXT NOT NULL,
    creator_id         TEXT,
    type               TEXT NOT NULL,
    meta               TEXT NOT NULL,
    status             TEXT NOT NULL,
    secret_id          TEXT,
    container_id       TEXT,
    error_status_code  TEXT,
    error_reason       TEXT,
    sub_status         TEXT,
    sub_status_message TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    deleted            BOOLEAN NOT NULL,
    deleted_at         BIGINT
);
CREATE INDEX orders_by_project ON orders (project_id, deleted, created_at);
