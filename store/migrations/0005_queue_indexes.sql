-- Indexes that match the work queue's filters and sorts, so a page of 25 is
-- read from the index in order instead of sorting every match:
-- "most recently updated" within a phase (and area), and "priority, then
-- oldest first" (a mixed direction, which the index must spell out).
CREATE INDEX requests_phase_updated ON requests (phase, updated_at, id);
CREATE INDEX requests_area_phase_updated ON requests (area_id, phase, updated_at, id);
DROP INDEX requests_priority;
CREATE INDEX requests_priority ON requests (priority_rank DESC, id);
CREATE INDEX requests_phase_priority ON requests (phase, priority_rank DESC, id);
