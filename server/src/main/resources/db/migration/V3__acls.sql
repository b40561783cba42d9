-- Per-entity access control lists (Barbican's secret_acls / container_acls). Only the 'read'
-- operation is settable through the API. An entity without a row has the implicit default:
-- project access, no extra users.
CREATE TABLE acls (
    id             TEXT PRIMARY KEY,
    entity_type    TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    operation      TEXT NOT NULL,
    project_access BOOLEAN NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (entity_type, entity_id, operation)
);

CREATE TABLE acl_users (
    acl_id     TEXT NOT NULL REFERENCES acls (id),
    user_id    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (acl_id, user_id)
);
CREATE INDEX acl_users_by_user ON acl_users (user_id);
