-- Full-text search over articles with FTS5, kept in sync by triggers inside
-- the writing transaction.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
	title, tags, body,
	content = 'articles', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
	INSERT INTO articles_fts (rowid, title, tags, body) VALUES (new.id, new.title, new.tags, new.body);
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, tags, body) VALUES ('delete', old.id, old.title, old.tags, old.body);
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, tags, body ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, tags, body) VALUES ('delete', old.id, old.title, old.tags, old.body);
	INSERT INTO articles_fts (rowid, title, tags, body) VALUES (new.id, new.title, new.tags, new.body);
END;
