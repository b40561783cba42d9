-- Transport keys (Barbican's transport_keys): public keys a client may wrap a secret's payload
-- with in transit. Global, not per project. Soft-deleted, as in Barbican.
CREATE TABLE transport_keys (
    id            TEXT PRIMARY KEY,
    plugin_name   TEXT NOT NULL,
    transport_key TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    deleted       BOOLEAN NOT NULL,
    deleted_at    BIGINT
);
CREATE INDEX transport_keys_by_plugin ON transport_keys (plugin_name, deleted, created_at);
