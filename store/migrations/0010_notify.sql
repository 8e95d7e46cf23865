-- Notifications, e-mail out and webhooks. Everything here is derived from
-- the events log (0004) by background workers: a worker reads events after
-- its cursor and, in ONE transaction with advancing that cursor, writes the
-- in-app notifications, the e-mail outbox and the webhook deliveries. The
-- cursor row is locked while that happens, so several server processes on
-- one database handle each event once.

CREATE TABLE worker_cursors (
	name     TEXT PRIMARY KEY,
	position BIGINT NOT NULL DEFAULT 0
);
-- Start after the events that exist already: an upgraded installation does
-- not send mail about its whole history.
INSERT INTO worker_cursors (name, position) SELECT 'notify', COALESCE(MAX(id), 0) FROM events;
INSERT INTO worker_cursors (name, position) SELECT 'webhooks', COALESCE(MAX(id), 0) FROM events;
-- The daily digest: position is the day (yyyymmdd) of the last digest run.
INSERT INTO worker_cursors (name, position) VALUES ('digest', 0);

-- In-app notifications: what the bell shows. digest marks one that still
-- has to go out in the person's daily digest e-mail.
CREATE TABLE notifications (
	id         {{id}},
	user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	event_id   BIGINT NOT NULL REFERENCES events (id),
	request_id BIGINT REFERENCES requests (id),
	kind       TEXT NOT NULL,
	event_kind TEXT NOT NULL,
	actor_id   BIGINT REFERENCES users (id),
	data       TEXT NOT NULL DEFAULT '{}',
	created_at BIGINT NOT NULL,
	read_at    BIGINT,
	digest     BOOLEAN NOT NULL DEFAULT FALSE,
	UNIQUE (event_id, user_id)
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_request ON notifications (request_id, user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_digest ON notifications (user_id, id) WHERE digest;

-- What each person wants by e-mail, per kind: immediate, digest or off.
-- No row means immediate.
CREATE TABLE notify_prefs (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind    TEXT NOT NULL,
	mode    TEXT NOT NULL,
	PRIMARY KEY (user_id, kind)
);

-- The e-mail outbox. A row is claimed by a sender with a lease (lease_until,
-- lease_owner); a sender that dies leaves the lease to expire and another
-- takes the row over. Sent rows keep sent_at; rows that failed too often keep
-- failed_at and last_error.
CREATE TABLE mail_outbox (
	id              {{id}},
	user_id         BIGINT REFERENCES users (id) ON DELETE SET NULL,
	event_id        BIGINT REFERENCES events (id),
	to_addr         TEXT NOT NULL,
	to_name         TEXT NOT NULL DEFAULT '',
	lang            TEXT NOT NULL,
	subject         TEXT NOT NULL,
	text_body       TEXT NOT NULL,
	html_body       TEXT NOT NULL,
	created_at      BIGINT NOT NULL,
	next_attempt_at BIGINT NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	lease_until     BIGINT,
	lease_owner     TEXT NOT NULL DEFAULT '',
	sent_at         BIGINT,
	failed_at       BIGINT,
	last_error      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX mail_outbox_event_user ON mail_outbox (event_id, user_id) WHERE event_id IS NOT NULL;
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Webhook subscriptions. events is a comma-separated list of event kinds.
CREATE TABLE webhooks (
	id          {{id}},
	url         TEXT NOT NULL,
	secret      TEXT NOT NULL,
	events      TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	created_by  BIGINT REFERENCES users (id),
	created_at  BIGINT NOT NULL,
	deleted_at  BIGINT
);

-- One delivery of one event to one webhook, with its retries; a replay is a
-- new row pointing at the delivery it repeats.
CREATE TABLE webhook_deliveries (
	id              {{id}},
	webhook_id      BIGINT NOT NULL REFERENCES webhooks (id),
	event_id        BIGINT REFERENCES events (id),
	event_kind      TEXT NOT NULL,
	payload         TEXT NOT NULL,
	replay_of       BIGINT REFERENCES webhook_deliveries (id),
	created_at      BIGINT NOT NULL,
	next_attempt_at BIGINT NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	lease_until     BIGINT,
	lease_owner     TEXT NOT NULL DEFAULT '',
	delivered_at    BIGINT,
	failed_at       BIGINT,
	last_status     INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries (webhook_id, event_id) WHERE replay_of IS NULL;
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE delivered_at IS NULL AND failed_at IS NULL;
