-- Requests and articles are found by the terms of one Dutch analyser
-- (beheer.IndexTerms: stems, the parts of compounds, derived words), which
-- the application writes beside the text; both engines index those terms
-- and so find the same things. The terms of what was written before are
-- filled in by the store when it opens (search_reindex, searchindex.go);
-- until then it is not found. The 'simple' configuration takes the terms as
-- they are: no stemming of its own, no stop words.
ALTER TABLE requests DROP COLUMN search;
ALTER TABLE requests ADD COLUMN search_terms text;
ALTER TABLE requests ADD COLUMN search tsvector
	GENERATED ALWAYS AS (to_tsvector('simple', COALESCE(search_terms, ''))) STORED;
CREATE INDEX requests_search ON requests USING GIN (search);

-- Articles: the terms of the title, the tags and the text, weighted apart.
ALTER TABLE publications DROP COLUMN search;
ALTER TABLE publications ADD COLUMN title_terms text;
ALTER TABLE publications ADD COLUMN tags_terms text;
ALTER TABLE publications ADD COLUMN body_terms text;
ALTER TABLE publications ADD COLUMN search tsvector
	GENERATED ALWAYS AS (
		setweight(to_tsvector('simple', COALESCE(title_terms, '')), 'A') || setweight(to_tsvector('simple', COALESCE(tags_terms, '')), 'B')
		|| setweight(to_tsvector('simple', COALESCE(body_terms, '')), 'C')
	) STORED;
CREATE INDEX publications_search ON publications USING GIN (search);

-- What the store still has to fill in the terms of, and how far it got:
-- requests by id; publications, which are few, at once.
CREATE TABLE search_reindex (
	name  TEXT PRIMARY KEY,
	after BIGINT NOT NULL
);
INSERT INTO search_reindex (name, after) VALUES ('requests', 0), ('publications', 0);
