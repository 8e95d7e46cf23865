-- Full-text search over the publications of kinds with Search (articles),
-- with FTS5 by id, kept in sync by triggers inside the writing transaction.
-- The index keeps its own copy of the text: publications are keyed by kind
-- and id, so there is no single integer key to borrow the text by.
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
	title, tags, body,
	tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (rowid, title, tags, body) SELECT id, title, tags, body FROM publications WHERE kind = 'article';

CREATE TRIGGER articles_fts_insert AFTER INSERT ON publications WHEN new.kind = 'article' BEGIN
	INSERT INTO articles_fts (rowid, title, tags, body) VALUES (new.id, new.title, new.tags, new.body);
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, tags, body ON publications WHEN new.kind = 'article' BEGIN
	UPDATE articles_fts SET title = new.title, tags = new.tags, body = new.body WHERE rowid = new.id;
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON publications WHEN old.kind = 'article' BEGIN
	DELETE FROM articles_fts WHERE rowid = old.id;
END;
