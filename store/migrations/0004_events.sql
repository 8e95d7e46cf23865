-- The event log: one row per thing that happened to a request, written in
-- the same transaction as the change itself. Notifications, e-mail and
-- webhooks are derived from it by background workers, so a crash between
-- commit and delivery loses nothing.
CREATE TABLE events (
	id         {{id}},
	kind       TEXT NOT NULL,
	request_id BIGINT REFERENCES requests (id),
	actor_id   BIGINT REFERENCES users (id),
	at         BIGINT NOT NULL,
	internal   BOOLEAN NOT NULL DEFAULT FALSE,
	data       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_request ON events (request_id, id);

-- Every phase and status a request has been in, from when: the service-level
-- clocks are computed from these periods.
CREATE TABLE request_status_log (
	id         {{id}},
	request_id BIGINT NOT NULL REFERENCES requests (id),
	at         BIGINT NOT NULL,
	phase      TEXT NOT NULL,
	status     TEXT NOT NULL
);
CREATE INDEX request_status_log_request ON request_status_log (request_id, id);
