package store

import (
	"context"

	"beheer"
)

// SavedViews lists the actor's own saved views by name.
func (s *Store) SavedViews(ctx context.Context, actor *beheer.Actor) ([]beheer.SavedView, error) {
	var out []beheer.SavedView
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT id, name, query FROM saved_views WHERE user_id = $1 ORDER BY name`, actor.UserID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v beheer.SavedView
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
	view := beheer.SavedView{Name: name, Query: query}
	if err := view.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM saved_views WHERE user_id = $1`, actor.UserID).Scan(&n); err != nil {
			return err
		}
		if err := beheer.CheckViewCount(n); err != nil {
			return err
		}
		_, err := t.ExecContext(ctx, `INSERT INTO saved_views (user_id, name, query, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query`, actor.UserID, view.Name, view.Query, ms(t.now))
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
