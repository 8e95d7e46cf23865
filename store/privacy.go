package store

import (
	"context"
	"database/sql"
	"strconv"

	"beheer"
)

// ExportPerson gathers everything about a person.
func (s *Store) ExportPerson(ctx context.Context, actor *beheer.Actor, userID int64) (*beheer.PersonData, error) {
	if err := beheer.CheckExportPerson(actor, userID); err != nil {
		return nil, err
	}
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	d := &beheer.PersonData{User: u, Requests: []beheer.PersonRequest{}, Comments: []beheer.Comment{}, Audit: []beheer.AuditEntry{},
		Identities: []string{}, ExportedAt: s.now().UTC()}
	err = s.read(ctx, func(q querier) error {
		if err := collect(ctx, q, `SELECT number, title, phase, created_at FROM requests WHERE requester_id = $1 ORDER BY id`, userID,
			func(rows *sql.Rows) error {
				var r beheer.PersonRequest
				var at sql.NullInt64
				if err := rows.Scan(&r.Number, &r.Title, &r.Phase, &at); err != nil {
					return err
				}
				r.CreatedAt = fromMS(at)
				d.Requests = append(d.Requests, r)
				return nil
			}); err != nil {
			return err
		}
		if err := collect(ctx, q, `SELECT id, request_id, body, internal, created_at FROM comments WHERE author_id = $1 ORDER BY id`, userID,
			func(rows *sql.Rows) error {
				c := beheer.Comment{AuthorID: userID, AuthorName: u.Name}
				var at sql.NullInt64
				if err := rows.Scan(&c.ID, &c.RequestID, &c.Body, &c.Internal, &at); err != nil {
					return err
				}
				c.CreatedAt = fromMS(at)
				d.Comments = append(d.Comments, c)
				return nil
			}); err != nil {
			return err
		}
		if err := collect(ctx, q, `SELECT id, COALESCE(request_id, 0), at, action, field, before_value, after_value FROM audit
			WHERE actor_id = $1 ORDER BY id`, userID, func(rows *sql.Rows) error {
			e := beheer.AuditEntry{ActorID: userID}
			var at sql.NullInt64
			if err := rows.Scan(&e.ID, &e.RequestID, &at, &e.Action, &e.Field, &e.Before, &e.After); err != nil {
				return err
			}
			e.At = fromMS(at)
			d.Audit = append(d.Audit, e)
			return nil
		}); err != nil {
			return err
		}
		if err := collect(ctx, q, `SELECT issuer || ' ' || subject FROM identities WHERE user_id = $1`, userID, func(rows *sql.Rows) error {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			d.Identities = append(d.Identities, id)
			return nil
		}); err != nil {
			return err
		}
		if d.Mail, err = personMail(ctx, q, userID, u.Email); err != nil {
			return err
		}
		return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE user_id = $1`, userID).Scan(&d.Tokens)
	})
	if err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		return t.audit(ctx, actor, 0, "user.exported", "user:"+itoa(userID), "", "", false)
	})
	return d, err
}

func collect(ctx context.Context, q querier, query string, arg any, each func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Anonymise removes a person who has left: their requests keep their
// history, but their name and e-mail address are gone everywhere Beheer
// keeps them (the person, the audit trail's values, sign-on identities,
// tokens, sessions, the sender of their incoming mail). Functional admins
// for all areas only; never undone.
func (s *Store) Anonymise(ctx context.Context, actor *beheer.Actor, userID int64) error {
	if err := beheer.CheckAnonymise(actor, userID); err != nil {
		return err
	}
	return s.writePeople(ctx, func(t *tx) error {
		var email, name string
		err := t.QueryRowContext(ctx, `SELECT email, name FROM users WHERE id = $1`+t.s.dialect.lock(""), userID).Scan(&email, &name)
		if err == sql.ErrNoRows {
			return beheer.ErrNotFound()
		}
		if err != nil {
			return err
		}
		id := strconv.FormatInt(userID, 10)
		anonName, anonEmail := beheer.AnonymousPerson(userID)
		steps := []struct {
			query string
			args  []any
		}{
			{`UPDATE users SET name = $1, email = $2, password_hash = '', active = FALSE, updated_at = $3,
				employee_number = NULL, department = '', manager_number = '', source = '', left_at = NULL WHERE id = $4`,
				[]any{anonName, anonEmail, ms(t.now), userID}},
			{`UPDATE audit SET before_value = '' WHERE before_value IN ($1, $2)`, []any{email, name}},
			{`UPDATE audit SET after_value = '' WHERE after_value IN ($1, $2)`, []any{email, name}},
			{`DELETE FROM identities WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM api_tokens WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM sessions WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM password_resets WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM saved_views WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM login_failures WHERE key LIKE $1`, []any{"%|" + email}},
			{`DELETE FROM second_factors WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM recovery_codes WHERE user_id = $1`, []any{userID}},
			{`DELETE FROM login_challenges WHERE user_id = $1`, []any{userID}},
			{`UPDATE security_events SET account = '', address = '', detail = '' WHERE user_id = $1 OR account = $2`,
				[]any{userID, email}},
		}
		for _, st := range steps {
			if _, err := t.ExecContext(ctx, st.query, st.args...); err != nil {
				return err
			}
		}
		if err := t.anonymiseMail(ctx, userID, email); err != nil {
			return err
		}
		return t.audit(ctx, actor, 0, "user.anonymised", "user:"+id, "", "", false)
	})
}

// PurgeAttachments removes the contents of attachments of requests closed
// more than months ago (the retention setting); names stay in the history.
// It returns how many it removed.
func (s *Store) PurgeAttachments(ctx context.Context, months int) (int64, error) {
	if months <= 0 {
		return 0, nil
	}
	var n int64
	err := s.write(ctx, func(t *tx) error {
		cutoff := ms(t.now.AddDate(0, -months, 0))
		res, err := t.ExecContext(ctx, `UPDATE attachments SET data = NULL, thumb = NULL, removed_at = $1
			WHERE removed_at IS NULL AND request_id IN (SELECT id FROM requests WHERE closed_at IS NOT NULL AND closed_at < $2)`,
			ms(t.now), cutoff)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if n == 0 {
			return nil
		}
		return t.audit(ctx, System, 0, "attachments.purged", "retention_months", "", strconv.FormatInt(n, 10), false)
	})
	return n, err
}

// PersonFootprint counts what Beheer holds about a person, for the page
// that asks to confirm their anonymisation: what goes, what stays.
type PersonFootprint struct {
	Requests, Comments, Identities, Tokens, Sessions, SavedViews, Mail int
}

// Footprint counts a person's data without reading it (and without the
// audit row an export writes). Who may anonymise them only.
func (s *Store) Footprint(ctx context.Context, actor *beheer.Actor, userID int64) (*PersonFootprint, error) {
	if err := beheer.CheckExportPerson(actor, userID); err != nil {
		return nil, err
	}
	u, err := s.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	f := &PersonFootprint{}
	err = s.read(ctx, func(q querier) error {
		for _, c := range []struct {
			n     *int
			query string
		}{
			{&f.Requests, `SELECT COUNT(*) FROM requests WHERE requester_id = $1`},
			{&f.Comments, `SELECT COUNT(*) FROM comments WHERE author_id = $1`},
			{&f.Identities, `SELECT COUNT(*) FROM identities WHERE user_id = $1`},
			{&f.Tokens, `SELECT COUNT(*) FROM api_tokens WHERE user_id = $1`},
			{&f.Sessions, `SELECT COUNT(*) FROM sessions WHERE user_id = $1`},
			{&f.SavedViews, `SELECT COUNT(*) FROM saved_views WHERE user_id = $1`},
		} {
			if err := q.QueryRowContext(ctx, c.query, userID).Scan(c.n); err != nil {
				return err
			}
		}
		return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_in m`+personMailWhere, userID, u.Email).Scan(&f.Mail)
	})
	return f, err
}
