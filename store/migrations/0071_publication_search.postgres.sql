-- Full-text search over publications with Dutch stemming: a generated
-- tsvector (title first, then tags, then the text) under a GIN index.
-- Queries name the kind; only kinds with Search are searched.
ALTER TABLE publications ADD COLUMN search tsvector
	GENERATED ALWAYS AS (
		setweight(to_tsvector('dutch', title), 'A') || setweight(to_tsvector('dutch', tags), 'B')
		|| setweight(to_tsvector('dutch', body), 'C')
	) STORED;
CREATE INDEX publications_search ON publications USING GIN (search);
