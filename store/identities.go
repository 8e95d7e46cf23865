package store

import (
	"context"
	"database/sql"
	"errors"

	"beheer"
)

// IdentityUser returns the id of the person an identity is linked to, or a
// not-found error. It is for signing in and checks no actor.
func (s *Store) IdentityUser(ctx context.Context, issuer, subject string) (int64, error) {
	var id int64
	err := s.read(ctx, func(q querier) error {
		err := q.QueryRowContext(ctx, `SELECT user_id FROM identities WHERE issuer = $1 AND subject = $2`,
			issuer, subject).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		return err
	})
	return id, err
}

// Identities lists the identities linked to a person, for functional admins.
func (s *Store) Identities(ctx context.Context, actor *beheer.Actor, userID int64) ([]beheer.Identity, error) {
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.Refusal(beheer.PermUserManage)
	}
	var out []beheer.Identity
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT issuer, subject, user_id, created_at FROM identities
			WHERE user_id = $1 ORDER BY issuer, subject`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var i beheer.Identity
			var created sql.NullInt64
			if err := rows.Scan(&i.Issuer, &i.Subject, &i.UserID, &created); err != nil {
				return err
			}
			i.CreatedAt = fromMS(created)
			out = append(out, i)
		}
		return rows.Err()
	})
	return out, err
}

// LinkIdentity links a single sign-on identity to an existing person, so
// that person can sign in through the provider. Only someone who manages
// people may do this; an identity already linked is a conflict.
func (s *Store) LinkIdentity(ctx context.Context, actor *beheer.Actor, userID int64, issuer, subject string) error {
	if !actor.Can(beheer.PermUserManage, 0) {
		return beheer.Refusal(beheer.PermUserManage)
	}
	if err := beheer.CheckIdentity(issuer, subject); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var n int
		if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1`, userID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return beheer.ErrNotFound()
		}
		return t.linkIdentity(ctx, actor, userID, issuer, subject)
	})
}

// UnlinkIdentity removes a single sign-on identity; the person keeps their
// account but can no longer sign in with it.
func (s *Store) UnlinkIdentity(ctx context.Context, actor *beheer.Actor, issuer, subject string) error {
	if !actor.Can(beheer.PermUserManage, 0) {
		return beheer.Refusal(beheer.PermUserManage)
	}
	return s.write(ctx, func(t *tx) error {
		var userID int64
		err := t.QueryRowContext(ctx, `DELETE FROM identities WHERE issuer = $1 AND subject = $2 RETURNING user_id`,
			issuer, subject).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "user.identity_unlinked", "user:"+itoa(userID), issuer+" "+subject, "", false)
	})
}

// CreateUserWithIdentity adds a person and links a single sign-on identity
// to them in one transaction, for a first sign-in through the provider. The
// person has no password.
func (s *Store) CreateUserWithIdentity(ctx context.Context, actor *beheer.Actor, n beheer.NewUser, issuer, subject string) (*beheer.User, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if err := beheer.CheckIdentity(issuer, subject); err != nil {
		return nil, err
	}
	if !actor.Can(beheer.PermUserManage, 0) {
		return nil, beheer.Refusal(beheer.PermUserManage)
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
			VALUES ($1, $2, $3, '', $4, $4) RETURNING id`, n.Email, n.Name, n.Lang, ms(t.now)).Scan(&id); err != nil {
			return err
		}
		if err := t.setRoles(ctx, id, n.Roles); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, 0, "user.created", "email", "", n.Email, false); err != nil {
			return err
		}
		if err := t.linkIdentity(ctx, actor, id, issuer, subject); err != nil {
			return err
		}
		u = &beheer.User{ID: id, Email: n.Email, Name: n.Name, Lang: n.Lang, Active: true, Roles: n.Roles, CreatedAt: t.now}
		return nil
	})
	return u, err
}

func (t *tx) linkIdentity(ctx context.Context, actor *beheer.Actor, userID int64, issuer, subject string) error {
	res, err := t.ExecContext(ctx, `INSERT INTO identities (issuer, subject, user_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, issuer, subject, userID, ms(t.now))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beheer.Errorf(beheer.CodeConflict, "sso.identity_taken")
	}
	return t.audit(ctx, actor, 0, "user.identity_linked", "user:"+itoa(userID), "", issuer+" "+subject, false)
}
