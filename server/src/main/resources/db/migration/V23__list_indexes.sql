-- Lists (and their totals) read a project's live rows in list order: created_at, id. The V1-V4
-- indexes put 'deleted' second, and since lists ask for NOT deleted (not an equality), neither
-- SQLite nor PostgreSQL could take the order from them: every list sorted all of a project's
-- rows (a 1-million-secret project: seconds per page), and the not-expired filter read every
-- table row. These lead with the order and carry the filter columns, so a page reads limit +
-- offset index entries and its total is counted from the index alone (no table row).
-- They replace the old ones, which they cover (project_id first): no extra cost per insert.
DROP INDEX secrets_by_project;
CREATE INDEX secrets_listed_by_project ON secrets (project_id, created_at, id, expiration, deleted);

DROP INDEX containers_by_project;
CREATE INDEX containers_listed_by_project ON containers (project_id, created_at, id, deleted);

DROP INDEX orders_by_project;
CREATE INDEX orders_listed_by_project ON orders (project_id, created_at, id, deleted);
