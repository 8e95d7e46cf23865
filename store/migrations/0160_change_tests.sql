-- The Accept test per change: the record that a change or wish was tested
-- on the acceptance environment (AFAS Accept) before production. A request
-- keeps every test; the latest counts. Days are ISO dates 'YYYY-MM-DD';
-- times Unix milliseconds. The evidence is one of the request's attachments.
CREATE TABLE change_tests (
	id            {{id}},
	request_id    BIGINT NOT NULL REFERENCES requests (id),
	tester_id     BIGINT NOT NULL REFERENCES users (id),
	tested_on     TEXT NOT NULL,
	result        TEXT NOT NULL,
	notes         TEXT NOT NULL DEFAULT '',
	attachment_id BIGINT REFERENCES attachments (id),
	production_on TEXT NOT NULL DEFAULT '',
	recorded_by   BIGINT NOT NULL REFERENCES users (id),
	recorded_at   BIGINT NOT NULL
);
CREATE INDEX change_tests_request ON change_tests (request_id, id);
