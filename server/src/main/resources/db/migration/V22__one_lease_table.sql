-- One lease table: operator commands (one store migration out of a store at a time) now take
-- their leases in job_leases, beside the background jobs'. Both are a named row with a holder
-- and an expiry; their names never collide (commands use "store-migrate:<store id>").
-- A migration started by an older version and still running loses its lease with this table:
-- it stops at its next batch and, run again with this version, resumes where it stopped.
DROP TABLE ops_leases;
