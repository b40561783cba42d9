-- Issue 12: secrets_by_expiration (V8) held an entry for every secret, and most secrets never
-- expire: each create without an expiration wrote an index entry (on PostgreSQL also a WAL record)
-- that no query reads. Its readers (the expiry watch and its count, the expiry report, purge)
-- all ask for expirations before or after a time, which no NULL satisfies, so both SQLite and
-- PostgreSQL use this partial index for them (QueryPlanTest checks SQLite's plans).
CREATE INDEX secrets_expiring ON secrets (expiration) WHERE expiration IS NOT NULL;
DROP INDEX secrets_by_expiration;
