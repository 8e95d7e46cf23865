package store

import (
	"context"
	"database/sql"

	"beheer"
)

// Assignees lists the active people a request or a technical task can be
// handed to: everyone holding the functional or technical admin role, with
// their roles, ordered by name. Whoever manages requests or hands out tasks
// may read it — the triage and task forms need it — while the full list of
// people stays with user management.
func (s *Store) Assignees(ctx context.Context, actor *beheer.Actor) ([]beheer.User, error) {
	if !actor.CanAnywhere(beheer.PermRequestManage) && !actor.CanAnywhere(beheer.PermRequestTechnical) &&
		!actor.CanAnywhere(beheer.PermTaskCreate) {
		return nil, beheer.ErrForbidden("")
	}
	var out []beheer.User
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT u.id, u.email, u.name, u.lang, u.active, u.created_at, ur.role, ur.area_id
			FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.active AND ur.role IN ('functional_admin', 'technical_admin')
			ORDER BY u.name, u.id, ur.role, ur.area_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u beheer.User
			var created sql.NullInt64
			var a beheer.Assignment
			if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.Lang, &u.Active, &created, &a.Role, &a.AreaID); err != nil {
				return err
			}
			if n := len(out); n > 0 && out[n-1].ID == u.ID {
				out[n-1].Roles = append(out[n-1].Roles, a)
				continue
			}
			u.CreatedAt = fromMS(created)
			u.Roles = []beheer.Assignment{a}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, err
}
