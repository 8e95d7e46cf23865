-- Releases (updates) of the application and their acceptance tests. Dates
-- on the acceptance and production environments are ISO dates 'YYYY-MM-DD';
-- times are Unix milliseconds.

CREATE TABLE releases (
	id               {{id}},
	name             TEXT NOT NULL,
	version_label    TEXT NOT NULL DEFAULT '',
	acceptance_on    TEXT NOT NULL DEFAULT '',
	production_on    TEXT NOT NULL DEFAULT '',
	notes_url        TEXT NOT NULL DEFAULT '',
	announced_at     BIGINT,
	announcement_url TEXT NOT NULL DEFAULT '',
	created_by       BIGINT REFERENCES users (id),
	created_at       BIGINT NOT NULL,
	updated_at       BIGINT NOT NULL,
	version          BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX releases_acceptance ON releases (acceptance_on, id);

-- The reusable checklist: items copied into a release's test round.
-- kind is 'functional' or 'technical'.
CREATE TABLE release_check_templates (
	id         {{id}},
	kind       TEXT NOT NULL,
	title      TEXT NOT NULL,
	created_at BIGINT NOT NULL
);

-- One checklist item of a release's test round. result: open, passed,
-- failed, blocked. A passed or failed item is final.
CREATE TABLE release_checks (
	id          {{id}},
	release_id  BIGINT NOT NULL REFERENCES releases (id),
	kind        TEXT NOT NULL,
	title       TEXT NOT NULL,
	assignee_id BIGINT REFERENCES users (id),
	result      TEXT NOT NULL DEFAULT 'open',
	note        TEXT NOT NULL DEFAULT '',
	file_name   TEXT NOT NULL DEFAULT '',
	file_type   TEXT NOT NULL DEFAULT '',
	file_data   {{bytes}},
	checked_by  BIGINT REFERENCES users (id),
	checked_at  BIGINT,
	created_at  BIGINT NOT NULL
);
CREATE INDEX release_checks_release ON release_checks (release_id, kind, id);

-- A finding of the test round: a request filed from it.
CREATE TABLE release_findings (
	release_id BIGINT NOT NULL REFERENCES releases (id),
	request_id BIGINT NOT NULL REFERENCES requests (id),
	check_id   BIGINT REFERENCES release_checks (id),
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (release_id, request_id)
);
CREATE INDEX release_findings_request ON release_findings (request_id);

-- The functional and the technical sign-off, once each.
CREATE TABLE release_signoffs (
	release_id BIGINT NOT NULL REFERENCES releases (id),
	kind       TEXT NOT NULL,
	user_id    BIGINT NOT NULL REFERENCES users (id),
	note       TEXT NOT NULL DEFAULT '',
	signed_at  BIGINT NOT NULL,
	PRIMARY KEY (release_id, kind)
);
