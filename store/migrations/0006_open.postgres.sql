-- "Open" (in one of the four working phases) as a column the queue can use
-- together with a sort in one index; a phase IN (...) list cannot give rows
-- in sort order. Generated from phase, never out of step.
ALTER TABLE requests ADD COLUMN open BOOLEAN GENERATED ALWAYS AS (phase IN ('intake', 'investigation', 'execution', 'optimisation')) STORED;
CREATE INDEX requests_open_priority ON requests (open, priority_rank DESC, id);
CREATE INDEX requests_open_updated ON requests (open, updated_at, id);
CREATE INDEX requests_area_updated ON requests (area_id, updated_at, id);
