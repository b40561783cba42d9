-- Issue 12: a secret's insert or soft delete changed its project's count (V25, V27, V30) with
-- INSERT ... ON CONFLICT DO UPDATE, which, once the session's slot row exists (every change but a
-- session's first in a project), probes the key for a conflict, locks the row it finds (a WAL
-- record of its own) and then updates it. A plain UPDATE of the slot row is one index lookup and
-- one row version; the upsert remains for the first change, when the row is not there yet (and
-- for the sessions past 64 that share a slot, where another may insert it first). The slots, the
-- claim and the counts are unchanged.
CREATE OR REPLACE FUNCTION secret_counts_kept() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer := 0;
    project text;
    s integer;
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
        s := coalesce(nullif(current_setting('portcullis.count_slot', true), '')::integer, secret_count_slot());
        UPDATE secret_counts SET live = live + delta WHERE project_id = project AND slot = s;
        IF NOT FOUND THEN
            INSERT INTO secret_counts (project_id, slot, live) VALUES (project, s, delta)
                ON CONFLICT (project_id, slot) DO UPDATE SET live = secret_counts.live + excluded.live;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
