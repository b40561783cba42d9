-- One schema for SQLite and PostgreSQL: TEXT, BIGINT, INTEGER, BOOLEAN and BYTEA mean the same
-- on both (SQLite stores BYTEA values as blobs). Times are epoch milliseconds (UTC).

CREATE TABLE secret_stores (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    store_plugin   TEXT NOT NULL,
    crypto_plugin  TEXT,
    global_default BOOLEAN NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

-- The store new secrets of a project go to; absent means the global default.
CREATE TABLE project_secret_store (
    project_id      TEXT PRIMARY KEY,
    secret_store_id TEXT NOT NULL REFERENCES secret_stores (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

-- Master KEKs a store has used, by fingerprint. A node whose KEK is not the active one refuses
-- to start, instead of writing secrets other nodes cannot read.
CREATE TABLE master_keys (
    store_id    TEXT NOT NULL REFERENCES secret_stores (id),
    key_id      TEXT NOT NULL,
    state       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (store_id, key_id)
);
-- Two nodes starting at once with different KEKs: only one of them can register its key.
CREATE UNIQUE INDEX master_keys_one_active ON master_keys (store_id) WHERE state = 'active';

-- Per-project KEKs, wrapped by a master KEK (master_key_id says which).
CREATE TABLE project_keks (
    id            TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL,
    store_id      TEXT NOT NULL REFERENCES secret_stores (id),
    master_key_id TEXT NOT NULL,
    wrapped       BYTEA NOT NULL,
    active        BOOLEAN NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX project_keks_one_active ON project_keks (project_id, store_id) WHERE active;

CREATE TABLE secrets (
    id            TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL,
    creator_id    TEXT,
    name          TEXT,
    secret_type   TEXT NOT NULL,
    algorithm     TEXT,
    bit_length    INTEGER,
    mode          TEXT,
    expiration    BIGINT,
    status        TEXT NOT NULL,
    store_id      TEXT NOT NULL REFERENCES secret_stores (id),
    content_type  TEXT,
    -- what the store needs to give the payload back: ciphertext (software store) or the
    -- external system's reference (KMIP unique identifier, Vault path)
    payload       BYTEA,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    deleted       BOOLEAN NOT NULL,
    deleted_at    BIGINT
);
CREATE INDEX secrets_by_project ON secrets (project_id, deleted, created_at);

CREATE TABLE secret_metadata (
    secret_id   TEXT NOT NULL REFERENCES secrets (id),
    meta_key    TEXT NOT NULL,
    meta_value  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (secret_id, meta_key)
);

CREATE TABLE secret_consumers (
    id            TEXT PRIMARY KEY,
    secret_id     TEXT NOT NULL REFERENCES secrets (id),
    project_id    TEXT NOT NULL,
    service       TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (secret_id, service, resource_type, resource_id)
);
