-- Setting up: an organisation creates itself through a one-time link and
-- then keeps its own areas, processes, channels and request types.

-- The organisation Beheer runs for (one row, id 1). checklist is TRUE when
-- it was set up through the first-start link or `beheer setup`: then the
-- setup checklist stays on the functional admins' home page until done.
CREATE TABLE organisation (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	name       TEXT NOT NULL,
	lang       TEXT NOT NULL DEFAULT 'nl',
	logo       {{bytes}},
	logo_type  TEXT NOT NULL DEFAULT '',
	checklist  BOOLEAN NOT NULL DEFAULT FALSE,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	version    BIGINT NOT NULL DEFAULT 1
);

-- First-start links: stored as the SHA-256 of the token, usable once until
-- expires_at.
CREATE TABLE setup_tokens (
	token_hash {{bytes}} PRIMARY KEY,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at    BIGINT
);

-- Checklist steps someone marked "not applicable".
CREATE TABLE setup_items (
	item       TEXT PRIMARY KEY,
	marked_by  BIGINT REFERENCES users (id),
	marked_at  BIGINT NOT NULL
);

-- Areas and processes become editable: ordered, archived instead of
-- deleted, versioned against concurrent edits; a process has a description
-- and an owner (who decides change requests where the area has no key
-- user).
ALTER TABLE areas ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE areas ADD COLUMN archived_at BIGINT;
ALTER TABLE areas ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE processes ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE processes ADD COLUMN owner_id BIGINT REFERENCES users (id);
ALTER TABLE processes ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE processes ADD COLUMN archived_at BIGINT;
ALTER TABLE processes ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE INDEX processes_owner ON processes (owner_id);

-- One row counting changes to areas, processes and request types. Every
-- such write updates it first, so these writes take turns (names stay
-- unique without a case-folding index the engines spell differently), and
-- the store's cache of them knows when what it holds is stale.
CREATE TABLE org_changes (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  BIGINT NOT NULL
);
INSERT INTO org_changes (id, n) VALUES (1, 0);

-- The outside party behind each channel.
CREATE TABLE channels (
	channel    TEXT PRIMARY KEY,
	vendor     TEXT NOT NULL DEFAULT '',
	phone      TEXT NOT NULL DEFAULT '',
	email      TEXT NOT NULL DEFAULT '',
	portal_url TEXT NOT NULL DEFAULT '',
	contract   TEXT NOT NULL DEFAULT '',
	updated_at BIGINT NOT NULL,
	version    BIGINT NOT NULL DEFAULT 1
);

-- A contact can be one of the organisation's own people: linked to their
-- account, so the Support rule can check who escalates. Existing contacts
-- are linked where their address is an active person's.
ALTER TABLE channel_contacts ADD COLUMN user_id BIGINT REFERENCES users (id);
UPDATE channel_contacts SET user_id = (SELECT u.id FROM users u WHERE u.email = channel_contacts.email AND u.active)
	WHERE email <> '';
CREATE INDEX channel_contacts_user ON channel_contacts (user_id);

-- The request types as the organisation offers them, and the priorities'
-- names; rows only for what was changed, texts '' for the catalogue's.
CREATE TABLE request_types (
	type       TEXT PRIMARY KEY,
	enabled    BOOLEAN NOT NULL DEFAULT TRUE,
	label_nl   TEXT NOT NULL DEFAULT '',
	label_en   TEXT NOT NULL DEFAULT '',
	help_nl    TEXT NOT NULL DEFAULT '',
	help_en    TEXT NOT NULL DEFAULT '',
	updated_at BIGINT NOT NULL
);
CREATE TABLE priority_labels (
	priority   TEXT PRIMARY KEY,
	label_nl   TEXT NOT NULL DEFAULT '',
	label_en   TEXT NOT NULL DEFAULT '',
	updated_at BIGINT NOT NULL
);
