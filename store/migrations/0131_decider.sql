-- "My decisions": a key user's decisions, newest first, on their home page.
CREATE INDEX decisions_decider ON decisions (decider_id, decided_at);
-- The open tasks of one technical admin (or of nobody: the team's), read in
-- task order for their task list.
CREATE INDEX tasks_assignee_open ON tasks (assignee_id, status, id);
