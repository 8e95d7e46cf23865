package store

import (
	"context"
	"crypto/sha256"
	"strings"
	"time"

	"beheer"
)

// ListSQL returns the statement and arguments of one page of Requests, for
// tests that read its plan.
func (s *Store) ListSQL(actor *beheer.Actor, f Filter) (string, []any, error) {
	if err := f.Validate(); err != nil {
		return "", nil, err
	}
	l := s.listQuery(actor, f)
	return l.sql, l.q.args, nil
}

// SetTokenCacheTTL sets how long the token cache keeps what it
// learnt, so that a test can tell forgetting on notice from expiry.
func (s *Store) SetTokenCacheTTL(d time.Duration) {
	if s.auth != nil {
		s.auth.mu.Lock()
		s.auth.ttl = d
		s.auth.mu.Unlock()
	}
}

// TokenCached reports whether the token cache would answer for token: it
// holds it, and on SQLite with the count of changes it holds now.
func (s *Store) TokenCached(token string) bool {
	return s.cachedNow(tokenKey(sha256.Sum256([]byte(token))))
}

// PersonCached reports whether the cache would answer for the person id
// named in a form's person field.
func (s *Store) PersonCached(id int64) bool { return s.cachedNow(personKey(id)) }

// cachedNow reports whether the cache holds k, and on SQLite with the count
// of changes it holds now.
func (s *Store) cachedNow(k authKey) bool {
	_, fresh, _, err := s.cached(context.Background(), k)
	return err == nil && fresh
}

// ListeningForTokenChanges reports whether the token cache is in use.
func (s *Store) ListeningForTokenChanges() bool {
	if s.auth == nil {
		return false
	}
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	return s.auth.listening
}

// OpenBefore opens a store whose schema stops before the migration
// numbered version, for tests that fill an old schema and then migrate it
// by opening the database again.
func OpenBefore(ctx context.Context, dsn string, version int) (*Store, error) {
	return Open(ctx, dsn, Options{migrateBefore: version})
}

// Explain returns PostgreSQL's plan of q as the store's own connections
// plan it, with their settings.
func (s *Store) Explain(ctx context.Context, q string, args ...any) (string, error) {
	var plan []string
	err := s.read(ctx, func(db querier) error {
		rows, err := db.QueryContext(ctx, "EXPLAIN "+q, args...)
		if err != nil {
			return err
		}
		return scanAll(rows, func() error {
			var line string
			err := rows.Scan(&line)
			plan = append(plan, line)
			return err
		})
	})
	return strings.Join(plan, "\n"), err
}
