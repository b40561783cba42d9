-- Day-2 operations (manage store migrate / expiry / purge / orphans).

-- The store migration walks one store's secrets in id order; the expiry scan and purge walk
-- expiration dates.
CREATE INDEX secrets_by_store ON secrets (store_id, id);
CREATE INDEX secrets_by_expiration ON secrets (expiration);

-- When the node logged and audited that the secret entered the expiry warning window; set by a
-- conditional UPDATE, so with several nodes exactly one of them warns.
ALTER TABLE secrets ADD COLUMN expiry_warned_at BIGINT;
-- When purge destroyed the payload of an expired secret (the row stays, as an expired secret's
-- metadata is still listed by id); payload is NULL from then on.
ALTER TABLE secrets ADD COLUMN payload_erased_at BIGINT;

-- Leases that keep two runs of one operator command apart (one migration out of a store at a
-- time): holder says who (host and pid), expires_at when another run may take over.
CREATE TABLE ops_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
