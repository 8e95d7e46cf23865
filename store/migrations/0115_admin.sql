-- The organisation's audit log reads the rows that belong to no request,
-- newest first; those who made or underwent a change narrow it down.
CREATE INDEX audit_organisation ON audit (id) WHERE request_id IS NULL;
CREATE INDEX audit_actor ON audit (actor_id, id) WHERE request_id IS NULL;

-- A webhook can be paused: no deliveries are queued or sent while it is.
ALTER TABLE webhooks ADD COLUMN disabled_at BIGINT;
