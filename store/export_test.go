package store

import "beheer"

// ListSQL returns the statement and arguments of one page of Requests, for
// tests that read its plan.
func (s *Store) ListSQL(actor *beheer.Actor, f Filter) (string, []any, error) {
	if err := f.Validate(); err != nil {
		return "", nil, err
	}
	l := s.listQuery(actor, f)
	return l.sql, l.q.args, nil
}
