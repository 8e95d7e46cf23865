-- The resolution deadline of a request as the service-level sweep keeps it
-- (beheer.Due): sla_due orders the work queue by time left and answers
-- "late", sla_warn is when a running clock enters its last fifth ("at
-- risk"). New rows start as not measured; the sweep measures every open
-- request within one period. Only the sweep writes these columns.
ALTER TABLE requests ADD COLUMN sla_due BIGINT NOT NULL DEFAULT 3000000000000000;
ALTER TABLE requests ADD COLUMN sla_warn BIGINT NOT NULL DEFAULT 3000000000000000;
-- Open work by time left, read in index order (the queue's "least time
-- left first", its late and at-risk filters, the dashboard's list).
CREATE INDEX requests_open_due ON requests (open, sla_due, id);
