-- Time registration: own hours on a request or one of its tasks, and an
-- outside party's hours on an escalation (escalation_id set) with the
-- vendor's reference. worked_on is an ISO date 'YYYY-MM-DD'.
CREATE TABLE time_entries (
	id               {{id}},
	request_id       BIGINT NOT NULL REFERENCES requests (id),
	task_id          BIGINT REFERENCES tasks (id),
	escalation_id    BIGINT REFERENCES escalations (id),
	user_id          BIGINT NOT NULL REFERENCES users (id),
	worked_on        TEXT NOT NULL,
	minutes          INTEGER NOT NULL,
	note             TEXT NOT NULL DEFAULT '',
	vendor_reference TEXT NOT NULL DEFAULT '',
	created_at       BIGINT NOT NULL
);
CREATE INDEX time_entries_request ON time_entries (request_id, id);
CREATE INDEX time_entries_user_day ON time_entries (user_id, worked_on);
CREATE INDEX time_entries_day ON time_entries (worked_on);

-- The annual plan's budget of consultancy hours for its year.
ALTER TABLE plans ADD COLUMN consultancy_budget_hours INTEGER NOT NULL DEFAULT 0;
