-- Requests and articles are found by the terms of one Dutch analyser
-- (beheer.IndexTerms: stems, the parts of compounds, derived words), which
-- the application writes beside the text; both engines index those terms
-- and so find the same things. The terms of what was written before are
-- filled in by the store when it opens (search_reindex, searchindex.go);
-- until then it is not found.
ALTER TABLE requests ADD COLUMN search_terms TEXT;
DROP TRIGGER requests_fts_update;
DROP TRIGGER requests_fts_delete;
DROP TABLE requests_fts;
-- The terms hold letters and digits only, one space between them: the
-- ascii tokenizer splits them exactly there, whatever the letters. A search
-- asks which requests hold a term, never where: detail=none keeps no
-- positions, so the index is smaller and filled faster.
CREATE VIRTUAL TABLE requests_fts USING fts5 (
	search_terms,
	content = 'requests', content_rowid = 'id',
	tokenize = 'ascii',
	prefix = '4 6 8 10',
	detail = none
);
INSERT INTO requests_fts (requests_fts, rank) VALUES ('automerge', 8);
-- A request reaches the index at the commit that files it, or when its
-- terms are first filled in; a change of its terms replaces them there.
CREATE TRIGGER requests_fts_update AFTER UPDATE OF search_terms ON requests WHEN old.search_terms IS NOT NULL BEGIN
	INSERT INTO requests_fts (requests_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
	INSERT INTO requests_fts (rowid, search_terms) VALUES (new.id, new.search_terms);
END;
CREATE TRIGGER requests_fts_delete AFTER DELETE ON requests WHEN old.search_terms IS NOT NULL BEGIN
	INSERT INTO requests_fts (requests_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
END;

-- Articles: the terms of the title, the tags and the text, weighted apart.
ALTER TABLE publications ADD COLUMN title_terms TEXT;
ALTER TABLE publications ADD COLUMN tags_terms TEXT;
ALTER TABLE publications ADD COLUMN body_terms TEXT;
DROP TRIGGER articles_fts_insert;
DROP TRIGGER articles_fts_update;
DROP TRIGGER articles_fts_delete;
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5 (title, tags, body, tokenize = 'ascii');
INSERT INTO articles_fts (rowid, title, tags, body) SELECT id, '', '', '' FROM publications WHERE kind = 'article';

CREATE TRIGGER articles_fts_insert AFTER INSERT ON publications WHEN new.kind = 'article' BEGIN
	INSERT INTO articles_fts (rowid, title, tags, body)
		VALUES (new.id, COALESCE(new.title_terms, ''), COALESCE(new.tags_terms, ''), COALESCE(new.body_terms, ''));
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF title_terms, tags_terms, body_terms ON publications WHEN new.kind = 'article' BEGIN
	UPDATE articles_fts SET title = COALESCE(new.title_terms, ''), tags = COALESCE(new.tags_terms, ''),
		body = COALESCE(new.body_terms, '') WHERE rowid = new.id;
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON publications WHEN old.kind = 'article' BEGIN
	DELETE FROM articles_fts WHERE rowid = old.id;
END;

-- What the store still has to fill in the terms of, and how far it got:
-- requests by id; publications, which are few, at once.
CREATE TABLE search_reindex (
	name  TEXT PRIMARY KEY,
	after BIGINT NOT NULL
);
INSERT INTO search_reindex (name, after) VALUES ('requests', 0), ('publications', 0);
