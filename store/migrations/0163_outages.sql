-- Outages (storingen): notices that something is unavailable, the
-- requests filed about them, and the summary they are closed with. Times
-- are Unix milliseconds; severity is 'minor', 'major' or 'critical'.
CREATE TABLE outages (
	id              {{id}},
	title           TEXT NOT NULL,
	description     TEXT NOT NULL DEFAULT '',
	severity        TEXT NOT NULL,
	started_at      BIGINT NOT NULL,
	expected_end_at BIGINT,
	ended_at        BIGINT,
	summary         TEXT NOT NULL DEFAULT '',
	created_by      BIGINT REFERENCES users (id),
	created_at      BIGINT NOT NULL,
	updated_at      BIGINT NOT NULL,
	version         BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX outages_started ON outages (started_at, id);
CREATE INDEX outages_ended ON outages (ended_at);

CREATE TABLE outage_requests (
	outage_id  BIGINT NOT NULL REFERENCES outages (id),
	request_id BIGINT NOT NULL REFERENCES requests (id),
	created_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (outage_id, request_id)
);
CREATE INDEX outage_requests_request ON outage_requests (request_id);
