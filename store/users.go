package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"beheer"
)

// System is the actor for the command line and background jobs: it holds
// every role everywhere. Audit rows by it have no person.
var System = &beheer.Actor{Name: "system", Roles: []beheer.Assignment{
	{Role: beheer.RoleFunctionalAdmin}, {Role: beheer.RoleTechnicalAdmin}, {Role: beheer.RoleManagement},
}}

// CreateUser adds a person with their roles. passwordHash may be empty (no
// local login, e.g. single sign-on only).
func (s *Store) CreateUser(ctx context.Context, actor *beheer.Actor, n beheer.NewUser, passwordHash string) (*beheer.User, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.ErrForbidden("")
	}
	var u *beheer.User
	err := s.write(ctx, func(t *tx) error {
		if err := t.checkAreas(ctx, n.Roles); err != nil {
			return err
		}
		var exists int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE email = $1`, n.Email).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			v := beheer.Validation{}
			v.Add("email", "user.email_taken")
			return v.Err()
		}
		var id int64
		if err := t.QueryRowContext(ctx, `INSERT INTO users (email, name, lang, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, n.Email, n.Name, n.Lang, passwordHash, ms(t.now)).Scan(&id); err != nil {
			return err
		}
		if err := t.setRoles(ctx, id, n.Roles); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, 0, "user.created", "email", "", n.Email, false); err != nil {
			return err
		}
		u = &beheer.User{ID: id, Email: n.Email, Name: n.Name, Lang: n.Lang, Active: true, Roles: n.Roles, CreatedAt: t.now}
		return nil
	})
	return u, err
}

// SetRoles replaces a person's roles.
func (s *Store) SetRoles(ctx context.Context, actor *beheer.Actor, userID int64, roles []beheer.Assignment) error {
	if !actor.Can(beheer.PermUserManage, 0) {
		return beheer.ErrForbidden("")
	}
	n := beheer.NewUser{Email: "x@x.nl", Name: "x", Roles: roles}
	if err := n.Validate(); err != nil {
		return err
	}
	if userID == actor.UserID && !slices.Contains(roles, beheer.Assignment{Role: beheer.RoleFunctionalAdmin}) {
		// Nobody locks themselves out of managing people.
		return beheer.Errorf(beheer.CodeConflict, "people.keep_own_admin")
	}
	return s.writePeople(ctx, func(t *tx) error {
		if err := t.checkAreas(ctx, roles); err != nil {
			return err
		}
		before, err := loadRoles(ctx, t, userID)
		if err != nil {
			return err
		}
		// Only the roles taken away are deleted, so a role a people sync
		// gave (user_roles.synced) and kept here stays the sync's.
		for _, a := range before {
			if slices.Contains(roles, a) {
				continue
			}
			if _, err := t.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = $1 AND role = $2 AND area_id = $3`,
				userID, a.Role, a.AreaID); err != nil {
				return err
			}
		}
		if err := t.setRoles(ctx, userID, roles); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "user.roles", "user:"+itoa(userID), formatRoles(before), formatRoles(roles), false)
	})
}

func (t *tx) setRoles(ctx context.Context, userID int64, roles []beheer.Assignment) error {
	for _, r := range roles {
		if _, err := t.ExecContext(ctx, `INSERT INTO user_roles (user_id, role, area_id) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, userID, r.Role, r.AreaID); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) checkAreas(ctx context.Context, roles []beheer.Assignment) error {
	for _, r := range roles {
		if r.AreaID == 0 {
			continue
		}
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM areas WHERE id = $1`, r.AreaID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			v := beheer.Validation{}
			v.Add("roles", "field.unknown_area")
			return v.Err()
		}
	}
	return nil
}

// SetActive activates or deactivates a person. A deactivated person cannot
// log in, their sessions end and their tokens are revoked at once, for
// good: reactivating them brings no old token back.
func (s *Store) SetActive(ctx context.Context, actor *beheer.Actor, userID int64, active bool) error {
	if !actor.Can(beheer.PermUserManage, 0) {
		return beheer.ErrForbidden("")
	}
	if userID == actor.UserID && !active {
		return beheer.Errorf(beheer.CodeConflict, "people.not_yourself")
	}
	return s.writeSecure(ctx, true, func(t *tx, ev *eventLog) error {
		// By hand, not because they left: a people sync will not undo it.
		res, err := t.ExecContext(ctx, `UPDATE users SET active = $1, left_at = NULL, updated_at = $2 WHERE id = $3`, active, ms(t.now), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return beheer.ErrNotFound()
		}
		if !active {
			if err := t.endSessions(ctx, userID); err != nil {
				return err
			}
			if err := t.revokeTokens(ctx, ev, userID, actor); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, 0, "user.active", "user:"+itoa(userID), "", boolText(active), false)
	})
}

// SetPasswordHash stores a new password hash for a person, set by an
// administrator on the command line: the person's sessions and reset links
// end.
func (s *Store) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	return s.writeSecure(ctx, false, func(t *tx, ev *eventLog) error {
		res, err := t.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, ms(t.now), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return beheer.ErrNotFound()
		}
		if err := t.endSessions(ctx, userID); err != nil {
			return err
		}
		if err := t.spendResets(ctx, userID); err != nil {
			return err
		}
		return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventPasswordSetByAdmin, UserID: userID})
	})
}

const userColumns = `id, email, name, lang, active, created_at`

func scanUser(row interface{ Scan(...any) error }) (*beheer.User, error) {
	var u beheer.User
	var created sql.NullInt64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Lang, &u.Active, &created); err != nil {
		return nil, err
	}
	u.CreatedAt = fromMS(created)
	return &u, nil
}

// UserByEmail finds a person by e-mail address, with roles and password
// hash, for logging in. It returns a not-found error when there is none.
func (s *Store) UserByEmail(ctx context.Context, email string) (*beheer.User, string, error) {
	var u *beheer.User
	var hash string
	err := s.read(ctx, func(q querier) error {
		var created sql.NullInt64
		u = &beheer.User{}
		err := q.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = $1`,
			strings.ToLower(strings.TrimSpace(email))).Scan(&u.ID, &u.Email, &u.Name, &u.Lang, &u.Active, &created, &hash)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		u.CreatedAt = fromMS(created)
		u.Roles, err = loadRoles(ctx, q, u.ID)
		return err
	})
	return u, hash, err
}

// User returns a person with their roles.
func (s *Store) User(ctx context.Context, id int64) (*beheer.User, error) {
	var u *beheer.User
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT `+personColumns+` FROM users u`+personRoles+` WHERE u.id = $1`+personOrder, id)
		if err != nil {
			return err
		}
		if u, err = scanPerson(rows); err == nil && u == nil {
			return beheer.ErrNotFound()
		}
		return err
	})
	return u, err
}

// Users lists every person with their roles, for functional admins.
func (s *Store) Users(ctx context.Context, actor *beheer.Actor) ([]*beheer.User, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.ErrForbidden("")
	}
	var users []*beheer.User
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name, id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		byID := map[int64]*beheer.User{}
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			users = append(users, u)
			byID[u.ID] = u
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rr, err := q.QueryContext(ctx, `SELECT user_id, role, area_id FROM user_roles ORDER BY user_id, role, area_id`)
		if err != nil {
			return err
		}
		defer rr.Close()
		for rr.Next() {
			var id int64
			var a beheer.Assignment
			if err := rr.Scan(&id, &a.Role, &a.AreaID); err != nil {
				return err
			}
			if u := byID[id]; u != nil {
				u.Roles = append(u.Roles, a)
			}
		}
		return rr.Err()
	})
	return users, err
}

func loadRoles(ctx context.Context, q querier, userID int64) ([]beheer.Assignment, error) {
	rows, err := q.QueryContext(ctx, `SELECT role, area_id FROM user_roles WHERE user_id = $1 ORDER BY role, area_id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []beheer.Assignment
	for rows.Next() {
		var a beheer.Assignment
		if err := rows.Scan(&a.Role, &a.AreaID); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// personColumns are a person's columns (users u) followed by one of their
// roles (user_roles ur, NULL when they have none): a person with their roles
// in one query, one row per role.
const personColumns = `u.id, u.email, u.name, u.lang, u.active, u.created_at, ur.role, ur.area_id`

const personRoles = ` LEFT JOIN user_roles ur ON ur.user_id = u.id`

const personOrder = ` ORDER BY ur.role, ur.area_id`

// scanPerson reads the rows of a personColumns query, each after the
// columns lead receives (from the last row); nil when there are none.
func scanPerson(rows *sql.Rows, lead ...any) (*beheer.User, error) {
	defer rows.Close()
	var u *beheer.User
	for rows.Next() {
		var row beheer.User
		var created, area sql.NullInt64
		var role sql.NullString
		if err := rows.Scan(append(slices.Clip(lead), &row.ID, &row.Email, &row.Name, &row.Lang, &row.Active, &created,
			&role, &area)...); err != nil {
			return nil, err
		}
		if u == nil {
			row.CreatedAt = fromMS(created)
			u = &row
		}
		if role.Valid {
			u.Roles = append(u.Roles, beheer.Assignment{Role: beheer.Role(role.String), AreaID: area.Int64})
		}
	}
	return u, rows.Err()
}

// SetLang stores a person's language ("nl" or "en").
func (s *Store) SetLang(ctx context.Context, userID int64, lang string) error {
	if lang != "nl" && lang != "en" {
		v := beheer.Validation{}
		v.Add("lang", "field.invalid_choice", "choices", "nl, en")
		return v.Err()
	}
	return s.writePeople(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, `UPDATE users SET lang = $1, updated_at = $2 WHERE id = $3`, lang, ms(t.now), userID)
		return err
	})
}
