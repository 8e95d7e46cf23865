package store

import (
	"context"

	"strings"

	"beheer"
)

// SavedView is a named queue filter of one person.
type SavedView struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Query string `json:"query"` // the queue's URL query, e.g. phase=investigation&sort=priority
}

// maxViews bounds how many views one person keeps.
const maxViews = 50

// SavedViews lists the actor's own saved views by name.
func (s *Store) SavedViews(ctx context.Context, actor *beheer.Actor) ([]SavedView, error) {
	var out []SavedView
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, name, query FROM saved_views WHERE user_id = $1 ORDER BY name`, actor.UserID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v SavedView
			if err := rows.Scan(&v.ID, &v.Name, &v.Query); err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// SaveView stores the actor's current filter under a name; the same name
// replaces the earlier view.
func (s *Store) SaveView(ctx context.Context, actor *beheer.Actor, name, query string) error {
	name = strings.TrimSpace(name)
	var v beheer.Validation
	switch {
	case name == "":
		v.Add("name", "field.required")
	case len([]rune(name)) > 80:
		v.Add("name", "field.too_long", "max", 80)
	}
	if len(query) > 2000 {
		v.Add("query", "field.too_long", "max", 2000)
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM saved_views WHERE user_id = $1`, actor.UserID).Scan(&n); err != nil {
			return err
		}
		if n >= maxViews {
			v.Add("name", "view.too_many", "max", maxViews)
			return v.Err()
		}
		_, err := t.ExecContext(ctx, `INSERT INTO saved_views (user_id, name, query, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query`, actor.UserID, name, query, ms(t.now))
		return err
	})
}

// DeleteView removes one of the actor's own views; another person's view
// is not found.
func (s *Store) DeleteView(ctx context.Context, actor *beheer.Actor, id int64) error {
	return s.write(ctx, func(t *tx) error {
		res, err := t.ExecContext(ctx, `DELETE FROM saved_views WHERE id = $1 AND user_id = $2`, id, actor.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return beheer.ErrNotFound()
		}
		return nil
	})
}
