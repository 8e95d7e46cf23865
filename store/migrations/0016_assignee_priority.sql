-- Someone's assigned requests by priority had no index in that order: SQLite
-- sorted all of a busy person's requests (0.49 s at 1,000,000 requests), and
-- for someone with few it walked every open request by priority looking
-- for theirs (0.46 s).
CREATE INDEX requests_assignee_priority ON requests (assignee_id, priority_rank DESC, id);
