-- The annual plan (jaarplanner beheer): one plan per year with management's
-- objectives, key users' inputs and the planned activities. Times are Unix
-- milliseconds; calendar days (an activity's date) are ISO dates
-- 'YYYY-MM-DD', which sort and compare as text on both engines.

-- status is 'draft' or 'approved'. feed_hash is the SHA-256 of the secret
-- iCalendar feed token; NULL means no feed (never made, or revoked).
CREATE TABLE plans (
	id              {{id}},
	year            INTEGER NOT NULL UNIQUE,
	status          TEXT NOT NULL DEFAULT 'draft',
	approved_by     BIGINT REFERENCES users (id),
	approved_at     BIGINT,
	feed_hash       {{bytes}} UNIQUE,
	feed_created_at BIGINT,
	created_by      BIGINT REFERENCES users (id),
	created_at      BIGINT NOT NULL,
	version         BIGINT NOT NULL DEFAULT 1
);

-- status: planned, in_progress, achieved, not_achieved.
CREATE TABLE plan_objectives (
	id          {{id}},
	plan_id     BIGINT NOT NULL REFERENCES plans (id),
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	target      TEXT NOT NULL,
	owner_id    BIGINT REFERENCES users (id),
	status      TEXT NOT NULL,
	created_at  BIGINT NOT NULL,
	updated_at  BIGINT NOT NULL
);
CREATE INDEX plan_objectives_plan ON plan_objectives (plan_id, id);

-- recurrence: '' (once), 'monthly' or 'quarterly', on the same weekday of
-- the month as starts_on (e.g. every second Tuesday) until the year ends.
-- status: planned, done, cancelled.
CREATE TABLE plan_activities (
	id             {{id}},
	plan_id        BIGINT NOT NULL REFERENCES plans (id),
	objective_id   BIGINT REFERENCES plan_objectives (id),
	kind           TEXT NOT NULL,
	title          TEXT NOT NULL,
	description    TEXT NOT NULL DEFAULT '',
	starts_on      TEXT NOT NULL,
	ends_on        TEXT NOT NULL,
	recurrence     TEXT NOT NULL DEFAULT '',
	role           TEXT NOT NULL DEFAULT '',
	responsible_id BIGINT REFERENCES users (id),
	status         TEXT NOT NULL,
	outcome        TEXT NOT NULL DEFAULT '',
	created_at     BIGINT NOT NULL,
	updated_at     BIGINT NOT NULL
);
CREATE INDEX plan_activities_plan ON plan_activities (plan_id, starts_on, id);
CREATE INDEX plan_activities_objective ON plan_activities (objective_id, status);

-- A key user's wish or priority for the year; a functional admin turns it
-- into a request or an activity. status: new, request, activity, declined.
CREATE TABLE plan_inputs (
	id          {{id}},
	plan_id     BIGINT NOT NULL REFERENCES plans (id),
	area_id     BIGINT REFERENCES areas (id),
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	priority    TEXT NOT NULL,
	author_id   BIGINT NOT NULL REFERENCES users (id),
	status      TEXT NOT NULL DEFAULT 'new',
	request_id  BIGINT REFERENCES requests (id),
	activity_id BIGINT REFERENCES plan_activities (id),
	created_at  BIGINT NOT NULL
);
CREATE INDEX plan_inputs_plan ON plan_inputs (plan_id, id);

CREATE TABLE objective_requests (
	objective_id BIGINT NOT NULL REFERENCES plan_objectives (id),
	request_id   BIGINT NOT NULL REFERENCES requests (id),
	created_by   BIGINT REFERENCES users (id),
	created_at   BIGINT NOT NULL,
	PRIMARY KEY (objective_id, request_id)
);
CREATE INDEX objective_requests_request ON objective_requests (request_id);

-- What a consultancy day did with one request on its agenda, per day held.
CREATE TABLE consultancy_outcomes (
	activity_id BIGINT NOT NULL REFERENCES plan_activities (id),
	request_id  BIGINT NOT NULL REFERENCES requests (id),
	held_on     TEXT NOT NULL,
	outcome     TEXT NOT NULL,
	recorded_by BIGINT REFERENCES users (id),
	recorded_at BIGINT NOT NULL,
	PRIMARY KEY (activity_id, held_on, request_id)
);
