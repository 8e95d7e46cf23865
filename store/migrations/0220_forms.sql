-- Forms per request type (optionally per process): the questions a request
-- of that type answers when it is filed. Every save of a form is a new,
-- immutable row in form_versions; a request refers to the version it was
-- filed with, so a changed form never changes what an old request asked.
CREATE TABLE forms (
	id          {{id}},
	type        TEXT NOT NULL,
	process_id  BIGINT REFERENCES processes (id),
	name_nl     TEXT NOT NULL,
	name_en     TEXT NOT NULL DEFAULT '',
	version     BIGINT NOT NULL DEFAULT 1,
	version_id  BIGINT,
	archived_at BIGINT,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);

-- fields is the version's fields as JSON (beheer.FormField), read whole.
CREATE TABLE form_versions (
	id         {{id}},
	form_id    BIGINT NOT NULL REFERENCES forms (id),
	number     BIGINT NOT NULL,
	fields     TEXT NOT NULL,
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	UNIQUE (form_id, number)
);

-- NULL for a request filed without a form: such requests cost nothing
-- extra anywhere.
ALTER TABLE requests ADD COLUMN form_version_id BIGINT REFERENCES form_versions (id);
CREATE INDEX requests_form_version ON requests (form_version_id) WHERE form_version_id IS NOT NULL;

-- The answers, one row per value (a multiple choice has a row per chosen
-- value), typed: value is the canonical text (dates yyyy-mm-dd, yes/no
-- true/false, people and places by id), num the number of a number field.
-- The primary key reads one request's answers; request_answers_value makes
-- a queue filter on one answer (answer.<field>=<value>) an index walk in
-- request order.
CREATE TABLE request_answers (
	request_id BIGINT NOT NULL REFERENCES requests (id),
	field      TEXT NOT NULL,
	value      TEXT NOT NULL,
	num        DOUBLE PRECISION,
	position   INTEGER NOT NULL,
	PRIMARY KEY (request_id, field, value)
);
CREATE INDEX request_answers_value ON request_answers (field, value, request_id);
