-- Full-text search over articles with Dutch stemming: a generated tsvector
-- (title first, then tags, then the text) under a GIN index.
ALTER TABLE articles ADD COLUMN search tsvector
	GENERATED ALWAYS AS (
		setweight(to_tsvector('dutch', title), 'A') || setweight(to_tsvector('dutch', tags), 'B')
		|| setweight(to_tsvector('dutch', body), 'C')
	) STORED;
CREATE INDEX articles_search ON articles USING GIN (search);
