-- The core schema: organisation, people, requests and everything that hangs
-- off them. Times are Unix milliseconds (UTC) on both engines. {{id}} is the
-- engine's auto-increment primary key, {{bytes}} its binary type.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE areas (
	id           {{id}},
	code         TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	description  TEXT NOT NULL DEFAULT '',
	integrations BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE processes (
	id      {{id}},
	area_id BIGINT NOT NULL REFERENCES areas (id),
	name    TEXT NOT NULL,
	UNIQUE (area_id, name)
);

CREATE TABLE users (
	id            {{id}},
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	lang          TEXT NOT NULL DEFAULT 'nl',
	active        BOOLEAN NOT NULL DEFAULT TRUE,
	password_hash TEXT NOT NULL DEFAULT '',
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL
);

-- area_id 0 means the role holds for every area.
CREATE TABLE user_roles (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role    TEXT NOT NULL,
	area_id BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (user_id, role, area_id)
);
CREATE INDEX user_roles_role ON user_roles (role, area_id);

CREATE TABLE api_tokens (
	id           {{id}},
	user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL DEFAULT '',
	token_hash   {{bytes}} NOT NULL UNIQUE,
	created_at   BIGINT NOT NULL,
	last_used_at BIGINT,
	revoked_at   BIGINT
);

-- One row per year: the last request number handed out. Incremented inside
-- the creating transaction, so numbers stay unique and gap-free.
CREATE TABLE request_counters (
	year INTEGER PRIMARY KEY,
	last BIGINT NOT NULL
);

CREATE TABLE requests (
	id            {{id}},
	number        TEXT NOT NULL UNIQUE,
	year          INTEGER NOT NULL,
	seq           BIGINT NOT NULL,
	type          TEXT NOT NULL,
	title         TEXT NOT NULL,
	description   TEXT NOT NULL DEFAULT '',
	area_id       BIGINT REFERENCES areas (id),
	process_id    BIGINT REFERENCES processes (id),
	priority      TEXT NOT NULL,
	priority_rank INTEGER NOT NULL,
	requester_id  BIGINT NOT NULL REFERENCES users (id),
	assignee_id   BIGINT REFERENCES users (id),
	phase         TEXT NOT NULL,
	status        TEXT NOT NULL,
	version       BIGINT NOT NULL DEFAULT 1,
	created_at    BIGINT NOT NULL,
	updated_at    BIGINT NOT NULL,
	closed_at     BIGINT,
	rating        INTEGER,
	evaluation    TEXT NOT NULL DEFAULT '',
	UNIQUE (year, seq)
);
CREATE INDEX requests_phase ON requests (phase, id);
CREATE INDEX requests_area_phase ON requests (area_id, phase, id);
CREATE INDEX requests_assignee_phase ON requests (assignee_id, phase, id);
CREATE INDEX requests_requester ON requests (requester_id, id);
CREATE INDEX requests_status ON requests (status, id);
CREATE INDEX requests_type ON requests (type, id);
CREATE INDEX requests_updated ON requests (updated_at, id);
CREATE INDEX requests_priority ON requests (priority_rank, id);

CREATE TABLE request_links (
	request_id BIGINT NOT NULL REFERENCES requests (id),
	other_id   BIGINT NOT NULL REFERENCES requests (id),
	kind       TEXT NOT NULL DEFAULT 'related',
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (request_id, other_id)
);
CREATE INDEX request_links_other ON request_links (other_id);

CREATE TABLE comments (
	id         {{id}},
	request_id BIGINT NOT NULL REFERENCES requests (id),
	author_id  BIGINT NOT NULL REFERENCES users (id),
	body       TEXT NOT NULL,
	internal   BOOLEAN NOT NULL DEFAULT FALSE,
	created_at BIGINT NOT NULL
);
CREATE INDEX comments_request ON comments (request_id, id);

CREATE TABLE attachments (
	id           {{id}},
	request_id   BIGINT NOT NULL REFERENCES requests (id),
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         BIGINT NOT NULL,
	sha256       TEXT NOT NULL,
	data         {{bytes}},
	uploader_id  BIGINT NOT NULL REFERENCES users (id),
	created_at   BIGINT NOT NULL,
	removed_at   BIGINT
);
CREATE INDEX attachments_request ON attachments (request_id, id);

CREATE TABLE decisions (
	id         {{id}},
	request_id BIGINT NOT NULL UNIQUE REFERENCES requests (id),
	outcome    TEXT NOT NULL,
	motivation TEXT NOT NULL,
	decider_id BIGINT NOT NULL REFERENCES users (id),
	decided_at BIGINT NOT NULL
);

CREATE TABLE escalations (
	id         {{id}},
	request_id BIGINT NOT NULL REFERENCES requests (id),
	channel    TEXT NOT NULL,
	reference  TEXT NOT NULL DEFAULT '',
	note       TEXT NOT NULL DEFAULT '',
	opened_by  BIGINT NOT NULL REFERENCES users (id),
	opened_at  BIGINT NOT NULL,
	closed_by  BIGINT REFERENCES users (id),
	closed_at  BIGINT,
	outcome    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX escalations_request ON escalations (request_id);
CREATE INDEX escalations_channel ON escalations (channel, opened_at);

CREATE TABLE tasks (
	id          {{id}},
	request_id  BIGINT NOT NULL REFERENCES requests (id),
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	assignee_id BIGINT REFERENCES users (id),
	status      TEXT NOT NULL,
	outcome     TEXT NOT NULL DEFAULT '',
	created_by  BIGINT NOT NULL REFERENCES users (id),
	created_at  BIGINT NOT NULL,
	done_by     BIGINT REFERENCES users (id),
	done_at     BIGINT
);
CREATE INDEX tasks_request ON tasks (request_id);
CREATE INDEX tasks_assignee ON tasks (assignee_id, status);

-- The audit trail: who, when, what before, what after. Never updated.
CREATE TABLE audit (
	id           {{id}},
	request_id   BIGINT REFERENCES requests (id),
	actor_id     BIGINT REFERENCES users (id),
	at           BIGINT NOT NULL,
	action       TEXT NOT NULL,
	field        TEXT NOT NULL DEFAULT '',
	before_value TEXT NOT NULL DEFAULT '',
	after_value  TEXT NOT NULL DEFAULT '',
	internal     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX audit_request ON audit (request_id, id);
