-- Counting open work per phase and area (home pages, the queue) from the
-- index alone, without reading the rows.
CREATE INDEX IF NOT EXISTS requests_open_counts ON requests (open, phase, area_id);
