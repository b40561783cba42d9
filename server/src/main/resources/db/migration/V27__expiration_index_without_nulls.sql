-- secrets_by_expiration (V8) indexed every secret, and most have no expiration: each such insert
-- was an index entry and a B-tree descent that no query reads (the expiry watch, the purge and
-- the expiry report look only at rows with an expiration; a comparison on it implies NOT NULL, so
-- both SQLite and PostgreSQL use the partial index for them).
DROP INDEX secrets_by_expiration;
CREATE INDEX secrets_by_expiration ON secrets (expiration) WHERE expiration IS NOT NULL;
