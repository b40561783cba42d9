-- A list's total is the project's live count (secret_counts) minus its expired rows. Counting
-- those rows grows with them (expired secrets stay until deleted); secret_expiry_days counts a
-- project's live rows with an expiration per day of it (expiration / 86400000, UTC), so a list sums
-- the rows of the days before today and counts only today's expired rows one by one. Kept by
-- triggers in the writer's own transaction, like secret_counts (V25): whoever writes the row.
CREATE TABLE secret_expiry_days (
    project_id TEXT    NOT NULL,
    day        BIGINT  NOT NULL,
    slot       INTEGER NOT NULL,
    live       BIGINT  NOT NULL,
    PRIMARY KEY (project_id, day, slot)
);

CREATE TRIGGER secrets_expiry_counted_on_insert AFTER INSERT ON secrets
    WHEN NOT NEW.deleted AND NEW.expiration IS NOT NULL
BEGIN
    INSERT INTO secret_expiry_days (project_id, day, slot, live) VALUES (NEW.project_id, NEW.expiration / 86400000, 0, 1)
        ON CONFLICT (project_id, day, slot) DO UPDATE SET live = live + 1;
END;

CREATE TRIGGER secrets_expiry_counted_on_delete AFTER DELETE ON secrets
    WHEN NOT OLD.deleted AND OLD.expiration IS NOT NULL
BEGIN
    INSERT INTO secret_expiry_days (project_id, day, slot, live) VALUES (OLD.project_id, OLD.expiration / 86400000, 0, -1)
        ON CONFLICT (project_id, day, slot) DO UPDATE SET live = live - 1;
END;

-- Any update that changes whether or where a row counts (soft delete, undelete, a new expiration,
-- another project): the old contribution out, the new one in.
CREATE TRIGGER secrets_expiry_counted_on_update_old AFTER UPDATE OF deleted, expiration, project_id ON secrets
    WHEN NOT OLD.deleted AND OLD.expiration IS NOT NULL AND (NEW.deleted OR NEW.expiration IS NOT OLD.expiration
        OR NEW.project_id IS NOT OLD.project_id)
BEGIN
    INSERT INTO secret_expiry_days (project_id, day, slot, live) VALUES (OLD.project_id, OLD.expiration / 86400000, 0, -1)
        ON CONFLICT (project_id, day, slot) DO UPDATE SET live = live - 1;
END;

CREATE TRIGGER secrets_expiry_counted_on_update_new AFTER UPDATE OF deleted, expiration, project_id ON secrets
    WHEN NOT NEW.deleted AND NEW.expiration IS NOT NULL AND (OLD.deleted OR NEW.expiration IS NOT OLD.expiration
        OR NEW.project_id IS NOT OLD.project_id)
BEGIN
    INSERT INTO secret_expiry_days (project_id, day, slot, live) VALUES (NEW.project_id, NEW.expiration / 86400000, 0, 1)
        ON CONFLICT (project_id, day, slot) DO UPDATE SET live = live + 1;
END;

INSERT INTO secret_expiry_days (project_id, day, slot, live)
    SELECT project_id, expiration / 86400000, 0, count(*) FROM secrets WHERE expiration IS NOT NULL AND NOT deleted
    GROUP BY project_id, expiration / 86400000;
