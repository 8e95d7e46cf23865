-- Links between requests have one of a fixed list of kinds; a link of any
-- other kind said no more than that the requests are related.
UPDATE request_links SET kind = 'relates_to'
	WHERE kind NOT IN ('follows_from', 'duplicates', 'blocks', 'relates_to', 'caused_by');

-- The evaluation of a request's outcome with the process owner (or key
-- user) in Optimalisatie: goal_met is 'yes', 'partly' or 'no'. One per
-- request; evaluating again replaces it.
CREATE TABLE request_reviews (
	request_id   BIGINT PRIMARY KEY REFERENCES requests (id),
	goal_met     TEXT NOT NULL,
	notes        TEXT NOT NULL DEFAULT '',
	evaluator_id BIGINT NOT NULL REFERENCES users (id),
	evaluated_at BIGINT NOT NULL
);

-- A key user's input for the annual plan can come from a request's
-- evaluation: the request it follows up.
ALTER TABLE plan_inputs ADD COLUMN source_request_id BIGINT REFERENCES requests (id);
