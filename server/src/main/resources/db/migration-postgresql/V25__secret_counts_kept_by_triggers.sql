-- secret_counts (V24) kept by the database itself rather than by each node's code: a node of an
-- older release still serving during a rolling upgrade, a restore or a hand-run SQL statement
-- changes the count like any insert or delete of this release. A change goes to the slot of its
-- server process (one per connection), so concurrent writers of one project rarely wait on the
-- same row's lock; reads sum the slots.
CREATE FUNCTION secret_counts_kept() RETURNS trigger LANGUAGE plpgsql AS $$
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
        INSERT INTO secret_counts (project_id, slot, live) VALUES (project, pg_backend_pid() % 64, delta)
            ON CONFLICT (project_id, slot) DO UPDATE SET live = secret_counts.live + excluded.live;
    END IF;
    RETURN NULL;
END
$$;

-- CREATE TRIGGER locks out writers of secrets until this migration commits, so the recount below
-- sees every row committed before it and every later write goes through the trigger.
CREATE TRIGGER secrets_counted AFTER INSERT OR DELETE OR UPDATE OF deleted ON secrets
    FOR EACH ROW EXECUTE FUNCTION secret_counts_kept();

DELETE FROM secret_counts;
INSERT INTO secret_counts (project_id, slot, live)
    SELECT project_id, 0, count(*) FROM secrets WHERE NOT deleted GROUP BY project_id;
