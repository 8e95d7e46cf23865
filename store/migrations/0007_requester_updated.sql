-- "My requests, most recently updated first": every person's home page.
CREATE INDEX requests_requester_updated ON requests (requester_id, updated_at, id);
CREATE INDEX requests_assignee_updated ON requests (assignee_id, updated_at, id);
