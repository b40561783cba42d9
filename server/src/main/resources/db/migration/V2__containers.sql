-- Containers: named groups of a project's secrets (generic, rsa, certificate) and the services
-- that registered as their consumers. Same conventions as V1: one schema for SQLite and
-- PostgreSQL, times in epoch milliseconds (UTC), soft delete for the container itself.

CREATE TABLE containers (
    id          TEXT PRIMARY KEY,
    project_id  TEXT NOT NULL,
    creator_id  TEXT,
    name        TEXT,
    type        TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    deleted     BOOLEAN NOT NULL,
    deleted_at  BIGINT
);
CREATE INDEX containers_by_project ON containers (project_id, deleted, created_at);

-- A secret appears at most once in a container. Rows go when the container or the secret is
-- deleted. position keeps the order the client listed the secrets in.
CREATE TABLE container_secrets (
    container_id TEXT NOT NULL REFERENCES containers (id),
    secret_id    TEXT NOT NULL REFERENCES secrets (id),
    name         TEXT,
    position     INTEGER NOT NULL,
    PRIMARY KEY (container_id, secret_id)
);
CREATE INDEX container_secrets_by_secret ON container_secrets (secret_id);

-- project_id is the project of the caller that registered the consumer: it, or the container's
-- own project, may remove the registration again.
CREATE TABLE container_consumers (
    id           TEXT PRIMARY KEY,
    container_id TEXT NOT NULL REFERENCES containers (id),
    project_id   TEXT NOT NULL,
    name         TEXT NOT NULL,
    url          TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (container_id, name, url)
);
