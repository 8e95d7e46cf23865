-- The satisfaction figure counts requests evaluated in a period: a small
-- partial index over only the evaluations finds them without reading every
-- rated request's audit trail.
CREATE INDEX audit_evaluated ON audit (at, request_id) WHERE action = 'request.evaluated';
