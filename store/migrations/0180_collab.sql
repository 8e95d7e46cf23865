-- Working together on requests: standard answers, followers, duplicates and
-- parent incidents, and the team alerts of an area. Times are Unix
-- milliseconds.

-- A standard answer belongs to one area, or (area_id NULL) to every area.
-- set_status / set_phase are what sending it also does ('' for nothing).
CREATE TABLE standard_answers (
	id         {{id}},
	area_id    BIGINT REFERENCES areas (id),
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	set_status TEXT NOT NULL DEFAULT '',
	set_phase  TEXT NOT NULL DEFAULT '',
	version    BIGINT NOT NULL DEFAULT 1,
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT
);
CREATE INDEX standard_answers_area ON standard_answers (area_id, title);

-- The people who follow a request. reason says how they came to
-- ('added', 'self', 'duplicate', 'parent', 'joined'); the request's facts
-- look a person up by the primary key.
CREATE TABLE request_followers (
	request_id BIGINT NOT NULL REFERENCES requests (id),
	user_id    BIGINT NOT NULL REFERENCES users (id),
	reason     TEXT NOT NULL,
	added_by   BIGINT REFERENCES users (id),
	added_at   BIGINT NOT NULL,
	PRIMARY KEY (request_id, user_id)
);
CREATE INDEX request_followers_user ON request_followers (user_id, request_id);

-- People who hear of every new request in an area.
CREATE TABLE area_followers (
	area_id  BIGINT NOT NULL REFERENCES areas (id),
	user_id  BIGINT NOT NULL REFERENCES users (id),
	added_at BIGINT NOT NULL,
	PRIMARY KEY (area_id, user_id)
);
CREATE INDEX area_followers_user ON area_followers (user_id);

-- Which team alerts an area sends; an alert without a row is on.
CREATE TABLE area_alerts (
	area_id BIGINT NOT NULL REFERENCES areas (id),
	alert   TEXT NOT NULL,
	enabled BOOLEAN NOT NULL,
	PRIMARY KEY (area_id, alert)
);

-- A request closed as a duplicate names its original; a request joined to
-- a parent incident names the parent. Both are NULL for nearly every
-- request, so their indexes hold only the joined ones.
ALTER TABLE requests ADD COLUMN duplicate_of BIGINT REFERENCES requests (id);
ALTER TABLE requests ADD COLUMN parent_id BIGINT REFERENCES requests (id);
CREATE INDEX requests_duplicate_of ON requests (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX requests_parent ON requests (parent_id, id) WHERE parent_id IS NOT NULL;

-- A request marked as a parent incident (hoofdmelding), with the summary
-- the new-request form shows to everyone ("bestaat uw vraag al?").
CREATE TABLE parent_incidents (
	request_id BIGINT PRIMARY KEY REFERENCES requests (id),
	summary    TEXT NOT NULL,
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL
);

-- A technical task's team is alerted once when it stays open too long.
ALTER TABLE tasks ADD COLUMN overdue_at BIGINT;
CREATE INDEX tasks_open_created ON tasks (created_at, id) WHERE status = 'open' AND overdue_at IS NULL;
