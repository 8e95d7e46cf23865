package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"time"

	"beheer"
)

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// CreateSession starts a new session for a person with a new random id
// (never reusing one from before the login).
func (s *Store) CreateSession(ctx context.Context, userID int64) (*beheer.Session, error) {
	id, csrf := randomToken(), randomToken()
	var sess *beheer.Session
	err := s.write(ctx, func(t *tx) error {
		sess = beheer.NewSession(id, csrf, t.now)
		_, err := t.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created_at, seen_at, expires_at)
			VALUES ($1, $2, $3, $4, $4, $5)`, hashToken(sess.ID), userID, sess.CSRF, ms(sess.CreatedAt), ms(sess.ExpiresAt))
		return err
	})
	if err != nil {
		return nil, err
	}
	sess.User, err = s.User(ctx, userID)
	return sess, err
}

// Session returns the live session with this id and its active person, or
// an unauthorised error when it does not exist, has expired or the person
// was deactivated.
func (s *Store) Session(ctx context.Context, id string) (*beheer.Session, error) {
	if id == "" || len(id) > 100 {
		return nil, beheer.Errorf(beheer.CodeUnauthorized, "error.unauthorized")
	}
	now := s.now()
	sess := &beheer.Session{}
	var created, seen, expires sql.NullInt64
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT s.csrf, s.created_at, s.seen_at, s.expires_at, `+personColumns+`
			FROM sessions s JOIN users u ON u.id = s.user_id`+personRoles+` WHERE s.id_hash = $1`+personOrder, hashToken(id))
		if err != nil {
			return err
		}
		if sess.User, err = scanPerson(rows, &sess.CSRF, &created, &seen, &expires); err == nil && sess.User == nil {
			return beheer.Errorf(beheer.CodeUnauthorized, "error.unauthorized")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sess.CreatedAt, sess.SeenAt, sess.ExpiresAt = fromMS(created), fromMS(seen), fromMS(expires)
	if sess.Expired(now) {
		s.EndSession(ctx, id)
		return nil, beheer.Errorf(beheer.CodeUnauthorized, "error.session_expired")
	}
	if sess.NeedsSeen(now) {
		if err := s.write(ctx, func(t *tx) error {
			_, err := t.ExecContext(ctx, `UPDATE sessions SET seen_at = $1 WHERE id_hash = $2`, ms(t.now), hashToken(id))
			return err
		}); err != nil {
			return nil, err
		}
	}
	return sess, nil
}

// EndSession removes a session (logout).
func (s *Store) EndSession(ctx context.Context, id string) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hashToken(id))
		return err
	})
}

// endSessions removes every session of a person, inside a transaction.
func (t *tx) endSessions(ctx context.Context, userID int64) error {
	_, err := t.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	return err
}

// LoginBlocked reports until when attempts must wait because of the
// blocking keys among keys (beheer.LoginKeys); zero when they need not.
func (s *Store) LoginBlocked(ctx context.Context, keys []beheer.ThrottleKey) (time.Time, error) {
	var until time.Time
	for _, k := range keys {
		if !k.Blocks() {
			continue
		}
		var b sql.NullInt64
		err := s.rdb.QueryRowContext(ctx, `SELECT blocked_until FROM login_failures WHERE key = $1`, k.Name).Scan(&b)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return time.Time{}, s.internal(err)
		}
		if t := fromMS(b); t.After(until) {
			until = t
		}
	}
	if !until.After(s.now()) {
		return time.Time{}, nil
	}
	return until, nil
}

// LoginFailed records a failed attempt for each key and returns how many
// failures each now has within beheer.FailureWindow. A blocking key makes
// the next attempts wait (beheer.LoginWait); the others only count.
func (s *Store) LoginFailed(ctx context.Context, keys []beheer.ThrottleKey) (map[string]int, error) {
	var counts map[string]int
	err := s.write(ctx, func(t *tx) error {
		counts = map[string]int{}
		for _, k := range keys {
			var failures int
			var first sql.NullInt64
			err := t.QueryRowContext(ctx, `SELECT failures, first_at FROM login_failures WHERE key = $1`, k.Name).Scan(&failures, &first)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && t.now.Sub(fromMS(first)) > beheer.FailureWindow) {
				failures, first = 0, sql.NullInt64{Int64: ms(t.now), Valid: true}
			} else if err != nil {
				return err
			}
			failures++
			counts[k.Name] = failures
			var blocked int64
			if wait := beheer.LoginWait(failures, k.Free); k.Blocks() && wait > 0 {
				blocked = ms(t.now.Add(wait))
			}
			if _, err := t.ExecContext(ctx, `INSERT INTO login_failures (key, failures, first_at, blocked_until) VALUES ($1, $2, $3, $4)
				ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at,
				blocked_until = excluded.blocked_until`, k.Name, failures, first.Int64, blocked); err != nil {
				return err
			}
		}
		return nil
	})
	return counts, err
}

// LoginSucceeded clears the failures of keys: those of the account from
// the address that just got in. The address over every account and the
// account over every address keep counting, so that logging in to one's
// own account between guesses resets nothing of an attack.
func (s *Store) LoginSucceeded(ctx context.Context, keys ...string) error {
	return s.write(ctx, func(t *tx) error {
		for _, k := range keys {
			if _, err := t.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1`, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// CreatePasswordReset makes a single-use reset token for a person. Every
// older link of the person stops working: only the newest is good.
func (s *Store) CreatePasswordReset(ctx context.Context, userID int64) (string, error) {
	token := randomToken()
	err := s.writeSecure(ctx, false, func(t *tx, ev *eventLog) error {
		if err := t.spendResets(ctx, userID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			hashToken(token), userID, ms(t.now), ms(t.now.Add(beheer.ResetLifetime))); err != nil {
			return err
		}
		return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventResetRequested, UserID: userID})
	})
	return token, err
}

// spendResets ends every reset link of a person that was not used yet.
func (t *tx) spendResets(ctx context.Context, userID int64) error {
	_, err := t.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL`, ms(t.now), userID)
	return err
}

// resetUser reads the person of a reset token that still works, or refuses
// with the one message for every link that does not.
func resetUser(ctx context.Context, q querier, token string, now time.Time, lock string) (int64, error) {
	var userID int64
	var expires, used sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = $1`+lock,
		hashToken(token)).Scan(&userID, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (used.Valid || now.After(fromMS(expires)))) {
		return 0, beheer.Errorf(beheer.CodeInvalid, "login.reset_invalid")
	}
	return userID, err
}

// PasswordResetUser returns the person of a reset link that still works,
// so that their new password can be checked against their name.
func (s *Store) PasswordResetUser(ctx context.Context, token string) (*beheer.User, error) {
	var id int64
	if err := s.read(ctx, func(q querier) error {
		var err error
		id, err = resetUser(ctx, q, token, s.now(), "")
		return err
	}); err != nil {
		return nil, err
	}
	return s.User(ctx, id)
}

// ResetPassword uses a reset token to set a new password hash. The token
// and every other link of the person are spent, and every session of the
// person ends.
func (s *Store) ResetPassword(ctx context.Context, token, hash string) error {
	return s.writeSecure(ctx, false, func(t *tx, ev *eventLog) error {
		userID, err := resetUser(ctx, t, token, t.now, t.s.dialect.lock(""))
		if err != nil {
			return err
		}
		if err := t.spendResets(ctx, userID); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, hash, ms(t.now), userID); err != nil {
			return err
		}
		if err := t.endSessions(ctx, userID); err != nil {
			return err
		}
		if err := ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventResetUsed, UserID: userID}); err != nil {
			return err
		}
		return t.audit(ctx, &beheer.Actor{UserID: userID}, 0, "user.password_reset", "", "", "", false)
	})
}
