-- Issue 12: the slot a writer's count change goes to (V25, V26) was pg_backend_pid() % 64. Process
-- ids are whatever the system hands out: close together when a pool opens its connections at once
-- on a quiet host, scattered on a busy one, after the pool replaces connections (max lifetime) and
-- across nodes, and 16 scattered ones share a slot more often than not (birthday odds: 87%). The
-- cost of a shared slot: a transaction that inserts a secret holds its slot row's lock until it
-- commits, which is after the request's audit event is durable, so the other waits a whole request
-- (Lock:transactionid on INSERT INTO secrets in pg_stat_activity during the bench's POSTs).
-- Now each session claims a slot of its own, the lowest free one, under a session-level advisory
-- lock that PostgreSQL releases when the session ends (a closed connection, a crashed node): no
-- two live sessions share a slot while at most 64 write (the pools of four nodes), whichever node,
-- release or tool they come from. Beyond that a session falls back to the old scheme. Counts are
-- unchanged: reads sum the slots.
--
-- The claim is kept for the session in a custom setting (portcullis.count_slot). A rollback of the
-- transaction that claimed it undoes the setting but not the session lock, so the next claim first
-- looks for a slot this session holds already instead of taking a second one.
--
-- 1885566580 is the advisory lock class of these slots: the two-key form, which never meets the
-- one-key locks of quota checks and job leases.
CREATE FUNCTION secret_count_slot() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    claimed text := current_setting('portcullis.count_slot', true);
    s integer;
BEGIN
    IF claimed IS NOT NULL AND claimed <> '' THEN
        RETURN claimed::integer;
    END IF;
    SELECT objid::integer INTO s FROM pg_locks
        WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = 1885566580 AND objsubid = 2
        LIMIT 1;
    IF s IS NULL THEN
        FOR i IN 0..63 LOOP
            IF pg_try_advisory_lock(1885566580, i) THEN
                s := i;
                EXIT;
            END IF;
        END LOOP;
    END IF;
    IF s IS NULL THEN
        s := pg_backend_pid() % 64;
    END IF;
    PERFORM set_config('portcullis.count_slot', s::text, false);
    RETURN s;
END
$$;

CREATE OR REPLACE FUNCTION secret_counts_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer := 0;
    project text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        project := NEW.project_id;
        IF NOT NEW.deleted THEN delta := 1; END IF;
    ELSIF TG_OP = 'DELETE' THEN
        project := OLD.project_id;
        IF NOT OLD.deleted THEN delta := -1; END IF;
    ELSE
        project := NEW.project_id;
        IF OLD.deleted AND NOT NEW.deleted THEN delta := 1;
        ELSIF NEW.deleted AND NOT OLD.deleted THEN delta := -1;
        END IF;
    END IF;
    IF delta <> 0 THEN
        INSERT INTO secret_counts (project_id, slot, live) VALUES (project, secret_count_slot(), delta)
            ON CONFLICT (project_id, slot) DO UPDATE SET live = secret_counts.live + excluded.live;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION secret_expiry_days_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.deleted = NEW.deleted AND OLD.expiration IS NOT DISTINCT FROM NEW.expiration
            AND OLD.project_id = NEW.project_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND NOT OLD.deleted AND OLD.expiration IS NOT NULL THEN
        INSERT INTO secret_expiry_days (project_id, day, slot, live)
            VALUES (OLD.project_id, OLD.expiration / 86400000, secret_count_slot(), -1)
            ON CONFLICT (project_id, day, slot) DO UPDATE SET live = secret_expiry_days.live + excluded.live;
    END IF;
    IF TG_OP <> 'DELETE' AND NOT NEW.deleted AND NEW.expiration IS NOT NULL THEN
        INSERT INTO secret_expiry_days (project_id, day, slot, live)
            VALUES (NEW.project_id, NEW.expiration / 86400000, secret_count_slot(), 1)
            ON CONFLICT (project_id, day, slot) DO UPDATE SET live = secret_expiry_days.live + excluded.live;
    END IF;
    RETURN NULL;
END
$$;
