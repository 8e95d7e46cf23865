-- Full-text search over requests with FTS5, kept in sync by triggers inside
-- the writing transaction.
CREATE VIRTUAL TABLE requests_fts USING fts5 (
	title, description,
	content = 'requests', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER requests_fts_insert AFTER INSERT ON requests BEGIN
	INSERT INTO requests_fts (rowid, title, description) VALUES (new.id, new.title, new.description);
END;

CREATE TRIGGER requests_fts_delete AFTER DELETE ON requests BEGIN
	INSERT INTO requests_fts (requests_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
END;

CREATE TRIGGER requests_fts_update AFTER UPDATE OF title, description ON requests BEGIN
	INSERT INTO requests_fts (requests_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
	INSERT INTO requests_fts (rowid, title, description) VALUES (new.id, new.title, new.description);
END;
