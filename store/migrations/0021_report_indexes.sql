-- Indexes for the reports: requests filed and closed per period, decisions
-- and ratings per period, and phase stays per period.
CREATE INDEX requests_created ON requests (created_at);
CREATE INDEX requests_closed ON requests (closed_at);
CREATE INDEX decisions_decided ON decisions (decided_at);
CREATE INDEX escalations_opened ON escalations (opened_at);
CREATE INDEX request_status_log_at ON request_status_log (at);
