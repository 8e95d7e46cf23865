-- New requests reach the full-text index once per commit (see
-- searchindex.go), no longer through a trigger per row.
DROP TRIGGER requests_fts_insert;
