-- The technical register: the documented facts technical management keeps
-- about the application's surroundings. One row per entry; kind says which
-- of the kind-specific columns are used, the others stay empty.
--   kind: integration (koppeling), identity_provider, mail_server
--   status: active, planned, retired, failing
-- Days (last_reviewed_on, next_review_on) are ISO dates 'YYYY-MM-DD', ''
-- for none; next_review_on is computed on every write from the last review
-- (or the day the entry was made) plus review_months, and is '' for a
-- retired entry, so the review sweep reads it through one index. Secrets
-- (client secrets, passwords) are never stored here.
CREATE TABLE register_entries (
	id                    {{id}},
	kind                  TEXT NOT NULL,
	name                  TEXT NOT NULL,
	status                TEXT NOT NULL,
	owner_id              BIGINT NOT NULL REFERENCES users (id),
	area_id               BIGINT REFERENCES areas (id),
	description           TEXT NOT NULL DEFAULT '',
	-- integration
	direction             TEXT NOT NULL DEFAULT '',
	other_system          TEXT NOT NULL DEFAULT '',
	technique             TEXT NOT NULL DEFAULT '',
	maintainer_contact_id BIGINT REFERENCES channel_contacts (id) ON DELETE SET NULL,
	maintainer            TEXT NOT NULL DEFAULT '',
	-- identity_provider
	protocol              TEXT NOT NULL DEFAULT '',
	issuer_url            TEXT NOT NULL DEFAULT '',
	client_ids            TEXT NOT NULL DEFAULT '',
	-- mail_server
	host                  TEXT NOT NULL DEFAULT '',
	port                  INTEGER NOT NULL DEFAULT 0,
	tls_mode              TEXT NOT NULL DEFAULT '',
	sender                TEXT NOT NULL DEFAULT '',
	dns_notes             TEXT NOT NULL DEFAULT '',
	-- reviews
	review_months         INTEGER NOT NULL DEFAULT 12,
	last_reviewed_on      TEXT NOT NULL DEFAULT '',
	next_review_on        TEXT NOT NULL DEFAULT '',
	created_by            BIGINT REFERENCES users (id),
	created_at            BIGINT NOT NULL,
	updated_at            BIGINT NOT NULL,
	version               BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX register_entries_kind ON register_entries (kind, name, id);
CREATE INDEX register_entries_due ON register_entries (next_review_on, id);

-- Every recorded review: who looked at the entry, on which day, and what
-- they found.
CREATE TABLE register_reviews (
	id          {{id}},
	entry_id    BIGINT NOT NULL REFERENCES register_entries (id),
	reviewed_on TEXT NOT NULL,
	note        TEXT NOT NULL,
	reviewed_by BIGINT REFERENCES users (id),
	created_at  BIGINT NOT NULL
);
CREATE INDEX register_reviews_entry ON register_reviews (entry_id, id);

-- The review requests the sweep raised: one per entry and due day. The
-- primary key is the claim: the sweep inserts it in the transaction that
-- files the request and its task, so several processes on one database
-- raise each due review once.
CREATE TABLE register_review_tasks (
	entry_id   BIGINT NOT NULL REFERENCES register_entries (id),
	due_on     TEXT NOT NULL,
	request_id BIGINT REFERENCES requests (id),
	task_id    BIGINT REFERENCES tasks (id),
	raised_at  BIGINT NOT NULL,
	PRIMARY KEY (entry_id, due_on)
);
CREATE INDEX register_review_tasks_task ON register_review_tasks (task_id);
