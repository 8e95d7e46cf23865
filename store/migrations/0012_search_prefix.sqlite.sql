-- The full-text index also keeps lists per word prefix of 4, 6, 8 and 10
-- characters. A search word (our Dutch stem, as a prefix) is shortened to
-- the longest of those, so it reads one ready list instead of merging the
-- lists of every word that starts with it. At 1,000,000 requests and 16
-- clients this took searches from p95 66 ms to 11 ms, and the load tool's
-- mix from 1,870 to 3,649 per second. The price is a larger index and
-- costlier inserts; merging segments less eagerly (automerge 8 instead of
-- 4) wins most of that back: creates 1,040 -> 1,760 per second, searches
-- p95 13 ms. The triggers of 0002 keep filling the new table.
DROP TABLE requests_fts;
CREATE VIRTUAL TABLE requests_fts USING fts5 (
	title, description,
	content = 'requests', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '4 6 8 10'
);
INSERT INTO requests_fts (requests_fts, rank) VALUES ('automerge', 8);
INSERT INTO requests_fts (requests_fts) VALUES ('rebuild');
