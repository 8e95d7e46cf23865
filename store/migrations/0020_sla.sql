-- Service levels. Targets per priority, optionally narrowed to a type and an
-- area ('' and 0 mean any), in business minutes. Nothing stores a deadline:
-- clocks are computed on read from request_status_log, so changing a target
-- recomputes every open request.
CREATE TABLE sla_targets (
	id                 {{id}},
	priority           TEXT NOT NULL,
	type               TEXT NOT NULL DEFAULT '',
	area_id            BIGINT NOT NULL DEFAULT 0,
	response_minutes   INTEGER NOT NULL,
	resolution_minutes INTEGER NOT NULL,
	UNIQUE (priority, type, area_id)
);
-- The defaults, with a business day of 8.5 hours (08:30-17:00): urgent 1 hour
-- and 8 hours, high 4 hours and 2 days, normal 1 day and 5 days, low 2 days
-- and 10 days.
INSERT INTO sla_targets (priority, type, area_id, response_minutes, resolution_minutes) VALUES
	('urgent', '', 0, 60, 480),
	('high', '', 0, 240, 1020),
	('normal', '', 0, 510, 2550),
	('low', '', 0, 1020, 5100);

-- A request parked until a moment ("wacht tot"): its clock stands still
-- from parked_at until until_at, or ended_at when it was taken off earlier.
-- noted is set once the sweep has written "request.unparked".
CREATE TABLE request_parking (
	id         {{id}},
	request_id BIGINT NOT NULL REFERENCES requests (id),
	parked_at  BIGINT NOT NULL,
	until_at   BIGINT NOT NULL,
	parked_by  BIGINT REFERENCES users (id),
	ended_at   BIGINT,
	noted      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX request_parking_request ON request_parking (request_id, id);
CREATE INDEX request_parking_due ON request_parking (noted, until_at);

-- Warnings raised once per request and kind (resolution_warning,
-- resolution_breach), so the sweep is idempotent.
CREATE TABLE sla_warnings (
	request_id BIGINT NOT NULL REFERENCES requests (id),
	kind       TEXT NOT NULL,
	at         BIGINT NOT NULL,
	PRIMARY KEY (request_id, kind)
);
CREATE INDEX sla_warnings_kind ON sla_warnings (kind, at);

-- The measured service level of an ended request, under the targets that
-- held when it ended: the reports aggregate these rows in SQL.
CREATE TABLE sla_outcomes (
	request_id         BIGINT PRIMARY KEY REFERENCES requests (id),
	closed_at          BIGINT NOT NULL,
	response_minutes   BIGINT NOT NULL,
	response_target    BIGINT NOT NULL,
	resolution_minutes BIGINT NOT NULL,
	resolution_target  BIGINT NOT NULL,
	response_met       BOOLEAN NOT NULL,
	resolution_met     BOOLEAN NOT NULL
);
CREATE INDEX sla_outcomes_closed ON sla_outcomes (closed_at);
