-- People from the HR administration (AFAS Profit or a CSV file).
--
-- employee_number is unique when set (NULL for people without one; both
-- engines allow many NULLs in a unique index). source says where a person
-- comes from: 'afas', 'csv', or '' for someone added by hand; a sync only
-- ever deactivates people of its own source. left_at is set when a sync
-- deactivated someone because they left, so that only those are reactivated
-- when they come back (not someone a functional admin switched off by hand).
ALTER TABLE users ADD COLUMN employee_number TEXT;
ALTER TABLE users ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN manager_number TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN left_at BIGINT;
CREATE UNIQUE INDEX users_employee_number ON users (employee_number);
CREATE INDEX users_source ON users (source, active);

-- synced marks a role the sync gave through the department mapping; the sync
-- adds and removes only those. Roles given by hand have synced = FALSE and
-- are never touched by a sync.
ALTER TABLE user_roles ADD COLUMN synced BOOLEAN NOT NULL DEFAULT FALSE;

-- Which department belongs to which area: its people become key users
-- (sleutelgebruikers) of that area. department is the comparison key (lower
-- case, single spaces); name is how it was first written.
CREATE TABLE department_areas (
	department TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	area_id    BIGINT NOT NULL REFERENCES areas (id),
	updated_at BIGINT NOT NULL
);

-- The outcome of every people sync, successful or not, for the portal and
-- the API. rows holds the per-row problems as JSON.
CREATE TABLE people_syncs (
	id          {{id}},
	source      TEXT NOT NULL,
	at          BIGINT NOT NULL,
	actor_id    BIGINT REFERENCES users (id),
	ok          BOOLEAN NOT NULL,
	error_key   TEXT NOT NULL DEFAULT '',
	total       INTEGER NOT NULL DEFAULT 0,
	added       INTEGER NOT NULL DEFAULT 0,
	updated     INTEGER NOT NULL DEFAULT 0,
	deactivated INTEGER NOT NULL DEFAULT 0,
	reactivated INTEGER NOT NULL DEFAULT 0,
	unchanged   INTEGER NOT NULL DEFAULT 0,
	skipped     INTEGER NOT NULL DEFAULT 0,
	rows        TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX people_syncs_at ON people_syncs (at, id);
