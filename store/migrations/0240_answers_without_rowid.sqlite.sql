-- request_answers is read and filtered only by its two keys, so on SQLite
-- it keeps its rows in the primary key itself (WITHOUT ROWID): a request
-- filed through a form of ten fields then writes its answers into two
-- B-trees instead of three.
CREATE TABLE request_answers_keyed (
	request_id BIGINT NOT NULL REFERENCES requests (id),
	field      TEXT NOT NULL,
	value      TEXT NOT NULL,
	num        DOUBLE PRECISION,
	position   INTEGER NOT NULL,
	PRIMARY KEY (request_id, field, value)
) WITHOUT ROWID;
INSERT INTO request_answers_keyed (request_id, field, value, num, position)
	SELECT request_id, field, value, num, position FROM request_answers;
DROP TABLE request_answers;
ALTER TABLE request_answers_keyed RENAME TO request_answers;
CREATE INDEX request_answers_value ON request_answers (field, value, request_id);
