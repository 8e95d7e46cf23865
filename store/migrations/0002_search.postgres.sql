-- Full-text search over requests with Dutch stemming: a generated tsvector,
-- always in sync with its row, under a GIN index.
ALTER TABLE requests ADD COLUMN search tsvector
	GENERATED ALWAYS AS (
		setweight(to_tsvector('dutch', title), 'A') || setweight(to_tsvector('dutch', description), 'B')
	) STORED;
CREATE INDEX requests_search ON requests USING GIN (search);
