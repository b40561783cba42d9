-- secret_counts (V24) kept by the database itself rather than by each node's code: a node of an
-- older release still serving during a rolling upgrade, a restore or a hand-run SQL statement
-- changes the count like any insert or delete of this release. SQLite has one writer, so one slot
-- per project is enough. The recount at the end makes the counter exact whatever was written
-- between V24 and these triggers (this migration runs in one transaction).
CREATE TRIGGER secrets_counted_on_insert AFTER INSERT ON secrets WHEN NOT NEW.deleted
BEGIN
    INSERT INTO secret_counts (project_id, slot, live) VALUES (NEW.project_id, 0, 1)
        ON CONFLICT (project_id, slot) DO UPDATE SET live = live + 1;
END;

CREATE TRIGGER secrets_counted_on_soft_delete AFTER UPDATE OF deleted ON secrets
    WHEN NEW.deleted AND NOT OLD.deleted
BEGIN
    INSERT INTO secret_counts (project_id, slot, live) VALUES (OLD.project_id, 0, -1)
        ON CONFLICT (project_id, slot) DO UPDATE SET live = live - 1;
END;

CREATE TRIGGER secrets_counted_on_undelete AFTER UPDATE OF deleted ON secrets
    WHEN OLD.deleted AND NOT NEW.deleted
BEGIN
    INSERT INTO secret_counts (project_id, slot, live) VALUES (NEW.project_id, 0, 1)
        ON CONFLICT (project_id, slot) DO UPDATE SET live = live + 1;
END;

CREATE TRIGGER secrets_counted_on_delete AFTER DELETE ON secrets WHEN NOT OLD.deleted
BEGIN
    INSERT INTO secret_counts (project_id, slot, live) VALUES (OLD.project_id, 0, -1)
        ON CONFLICT (project_id, slot) DO UPDATE SET live = live - 1;
END;

DELETE FROM secret_counts;
INSERT INTO secret_counts (project_id, slot, live)
    SELECT project_id, 0, count(*) FROM secrets WHERE NOT deleted GROUP BY project_id;
