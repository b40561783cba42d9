-- A list's total is the project's live count (secret_counts) minus its expired rows. Counting
-- those rows grows with them (expired secrets stay until deleted); secret_expiry_days counts a
-- project's live rows with an expiration per day of it (expiration / 86400000, UTC), so a list sums
-- the rows of the days before today and counts only today's expired rows one by one. Kept by
-- triggers in the writer's own transaction, like secret_counts (V25): whoever writes the row. A
-- change goes to the slot of its server process, so concurrent writers rarely wait on one row.
CREATE TABLE secret_expiry_days (
    project_id TEXT    NOT NULL,
    day        BIGINT  NOT NULL,
    slot       INTEGER NOT NULL,
    live       BIGINT  NOT NULL,
    PRIMARY KEY (project_id, day, slot)
);

CREATE FUNCTION secret_expiry_days_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.deleted = NEW.deleted AND OLD.expiration IS NOT DISTINCT FROM NEW.expiration
            AND OLD.project_id = NEW.project_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND NOT OLD.deleted AND OLD.expiration IS NOT NULL THEN
        INSERT INTO secret_expiry_days (project_id, day, slot, live)
            VALUES (OLD.project_id, OLD.expiration / 86400000, pg_backend_pid() % 64, -1)
            ON CONFLICT (project_id, day, slot) DO UPDATE SET live = secret_expiry_days.live + excluded.live;
    END IF;
    IF TG_OP <> 'DELETE' AND NOT NEW.deleted AND NEW.expiration IS NOT NULL THEN
        INSERT INTO secret_expiry_days (project_id, day, slot, live)
            VALUES (NEW.project_id, NEW.expiration / 86400000, pg_backend_pid() % 64, 1)
            ON CONFLICT (project_id, day, slot) DO UPDATE SET live = secret_expiry_days.live + excluded.live;
    END IF;
    RETURN NULL;
END
$$;

-- Inserts without an expiration (most) do not call the function at all.
CREATE TRIGGER secrets_expiry_counted_on_insert AFTER INSERT ON secrets
    FOR EACH ROW WHEN (NEW.expiration IS NOT NULL AND NOT NEW.deleted) EXECUTE FUNCTION secret_expiry_days_kept();
-- CREATE TRIGGER locks out writers of secrets until this migration commits, so the count below
-- sees every row committed before it and every later write goes through the triggers.
CREATE TRIGGER secrets_expiry_counted AFTER DELETE OR UPDATE OF deleted, expiration, project_id ON secrets
    FOR EACH ROW EXECUTE FUNCTION secret_expiry_days_kept();

INSERT INTO secret_expiry_days (project_id, day, slot, live)
    SELECT project_id, expiration / 86400000, 0, count(*) FROM secrets WHERE expiration IS NOT NULL AND NOT deleted
    GROUP BY project_id, expiration / 86400000;
