package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"errors"
	"strings"
	"time"

	"beheer"
	"beheer/totp"
)

// pendingLifetime is how long an enrolment that was started keeps its
// secret: reloading the page within it shows the same QR code.
const pendingLifetime = time.Hour

// SecondFactorState tells whether a person logs in with a password and has
// a confirmed authenticator, in one query.
func (s *Store) SecondFactorState(ctx context.Context, userID int64) (beheer.SecondFactorState, error) {
	var st beheer.SecondFactorState
	err := s.read(ctx, func(q querier) error {
		var confirmed sql.NullInt64
		err := q.QueryRowContext(ctx, `SELECT u.password_hash <> '', (SELECT f.confirmed_at FROM second_factors f WHERE f.user_id = u.id)
			FROM users u WHERE u.id = $1`, userID).Scan(&st.HasPassword, &confirmed)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		}
		st.Enrolled = confirmed.Valid
		return err
	})
	return st, err
}

// BeginSecondFactor starts the enrolment of an authenticator and returns
// its secret (base32) to show as text and QR code. A person already
// enrolled is refused; an enrolment started within the last hour keeps
// its secret.
func (s *Store) BeginSecondFactor(ctx context.Context, userID int64) (string, error) {
	var secret string
	err := s.write(ctx, func(t *tx) error {
		var created int64
		var confirmed sql.NullInt64
		err := t.QueryRowContext(ctx, `SELECT secret, created_at, confirmed_at FROM second_factors WHERE user_id = $1`, userID).
			Scan(&secret, &created, &confirmed)
		switch {
		case err == nil && confirmed.Valid:
			return beheer.Errorf(beheer.CodeConflict, "second_factor.already")
		case err == nil && t.now.Sub(time.UnixMilli(created)) < pendingLifetime:
			return nil
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return err
		}
		secret = totp.NewSecret()
		_, err = t.ExecContext(ctx, `INSERT INTO second_factors (user_id, secret, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
			confirmed_at = NULL, last_step = 0`, userID, secret, ms(t.now))
		return err
	})
	return secret, err
}

// ConfirmSecondFactor finishes an enrolment with the first code of the
// authenticator and returns the recovery codes, shown once and kept hashed.
// A wrong code is refused and recorded.
func (s *Store) ConfirmSecondFactor(ctx context.Context, userID int64, code string) ([]string, error) {
	var codes []string
	var refusal error
	err := s.writeSecure(ctx, false, func(t *tx, ev *eventLog) error {
		codes, refusal = nil, nil
		var secret string
		var confirmed sql.NullInt64
		err := t.QueryRowContext(ctx, `SELECT secret, confirmed_at FROM second_factors WHERE user_id = $1`+t.s.dialect.lock(""), userID).
			Scan(&secret, &confirmed)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.Errorf(beheer.CodeConflict, "second_factor.not_started")
		} else if err != nil {
			return err
		} else if confirmed.Valid {
			return beheer.Errorf(beheer.CodeConflict, "second_factor.already")
		}
		key, err := totp.Decode(secret)
		if err != nil {
			return err
		}
		step, ok, _ := totp.Verify(key, code, t.now, 0)
		if !ok {
			refusal = beheer.Invalid("code", "second_factor.code_wrong")
			return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventSecondFactorFailed, UserID: userID, Detail: "enrolment"})
		}
		if _, err := t.ExecContext(ctx, `UPDATE second_factors SET confirmed_at = $1, last_step = $2 WHERE user_id = $3`,
			ms(t.now), step, userID); err != nil {
			return err
		}
		if codes, err = t.newRecoveryCodes(ctx, userID); err != nil {
			return err
		}
		return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventSecondFactorOn, UserID: userID})
	})
	if err == nil {
		err = refusal
	}
	return codes, err
}

// recoveryEncoding writes recovery codes in letters and digits that are
// hard to mistake for each other (base32: no 0, 1, 8 or 9).
var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newRecoveryCodes replaces a person's recovery codes with fresh ones and
// returns them as "xxxxx-xxxxx".
func (t *tx) newRecoveryCodes(ctx context.Context, userID int64) ([]string, error) {
	if _, err := t.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return nil, err
	}
	codes := make([]string, beheer.RecoveryCodes)
	for i := range codes {
		b := make([]byte, 7)
		rand.Read(b)
		c := strings.ToLower(recoveryEncoding.EncodeToString(b))[:10]
		codes[i] = c[:5] + "-" + c[5:]
		if _, err := t.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`,
			userID, recoveryHash(codes[i])); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// recoveryHash is the stored form of a recovery code, however it is typed.
func recoveryHash(code string) []byte {
	c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte(c))
	return sum[:]
}

// VerifySecondFactor checks the second step of a login: a code of the
// person's authenticator, taken once (a code used before within its window
// is refused), or one of their recovery codes, each once. Refusals are
// recorded.
func (s *Store) VerifySecondFactor(ctx context.Context, userID int64, code string) error {
	var refusal error
	err := s.writeSecure(ctx, false, func(t *tx, ev *eventLog) error {
		refusal = nil
		var secret string
		var last int64
		err := t.QueryRowContext(ctx, `SELECT secret, last_step FROM second_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL`+
			t.s.dialect.lock(""), userID).Scan(&secret, &last)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.Errorf(beheer.CodeConflict, "second_factor.not_started")
		} else if err != nil {
			return err
		}
		if len(strings.TrimSpace(code)) > totp.Digits+1 {
			return t.useRecoveryCode(ctx, ev, userID, code, &refusal)
		}
		key, err := totp.Decode(secret)
		if err != nil {
			return err
		}
		step, ok, reused := totp.Verify(key, code, t.now, last)
		switch {
		case reused:
			refusal = beheer.Invalid("code", "second_factor.code_reused")
			return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventSecondFactorReused, UserID: userID})
		case !ok:
			refusal = beheer.Invalid("code", "second_factor.code_wrong")
			return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventSecondFactorFailed, UserID: userID})
		}
		_, err = t.ExecContext(ctx, `UPDATE second_factors SET last_step = $1 WHERE user_id = $2`, step, userID)
		return err
	})
	if err == nil {
		err = refusal
	}
	return err
}

// useRecoveryCode spends a recovery code, or sets the refusal.
func (t *tx) useRecoveryCode(ctx context.Context, ev *eventLog, userID int64, code string, refusal *error) error {
	res, err := t.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
		ms(t.now), userID, recoveryHash(code))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		*refusal = beheer.Invalid("code", "second_factor.code_wrong")
		return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventSecondFactorFailed, UserID: userID, Detail: "recovery code"})
	}
	var left int
	if err := t.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&left); err != nil {
		return err
	}
	return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventRecoveryCodeUsed, UserID: userID,
		Detail: itoa(int64(left)) + " left"})
}

// ClearSecondFactor removes a person's authenticator and recovery codes,
// for a person who lost their phone: the command line, or a functional
// admin for every area.
func (s *Store) ClearSecondFactor(ctx context.Context, actor *beheer.Actor, userID int64) error {
	if !beheer.CanManageAllTokens(actor) {
		return beheer.Refusal(beheer.PermUserManage)
	}
	return s.writeSecure(ctx, false, func(t *tx, ev *eventLog) error {
		for _, q := range []string{`DELETE FROM second_factors WHERE user_id = $1`, `DELETE FROM recovery_codes WHERE user_id = $1`} {
			if _, err := t.ExecContext(ctx, q, userID); err != nil {
				return err
			}
		}
		return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventSecondFactorCleared, UserID: userID, Detail: "by " + actorName(actor)})
	})
}

// CreateLoginChallenge remembers a login that passed its password and now
// waits for the second factor; the returned id goes into a cookie.
func (s *Store) CreateLoginChallenge(ctx context.Context, userID int64, next string) (string, error) {
	id := randomToken()
	err := s.write(ctx, func(t *tx) error {
		if _, err := t.ExecContext(ctx, `DELETE FROM login_challenges WHERE expires_at < $1`, ms(t.now)); err != nil {
			return err
		}
		_, err := t.ExecContext(ctx, `INSERT INTO login_challenges (id_hash, user_id, next, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5)`, hashToken(id), userID, next, ms(t.now), ms(t.now.Add(beheer.ChallengeLifetime)))
		return err
	})
	return id, err
}

// LoginChallenge returns the person and the page to go to of a login
// waiting for its second factor, or an unauthorised error when there is
// none or it expired.
func (s *Store) LoginChallenge(ctx context.Context, id string) (*beheer.User, string, error) {
	var userID, expires int64
	var next string
	err := s.read(ctx, func(q querier) error {
		err := q.QueryRowContext(ctx, `SELECT user_id, next, expires_at FROM login_challenges WHERE id_hash = $1`, hashToken(id)).
			Scan(&userID, &next, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.Errorf(beheer.CodeUnauthorized, "login.code_expired")
		}
		return err
	})
	if err == nil && s.now().After(time.UnixMilli(expires)) {
		err = beheer.Errorf(beheer.CodeUnauthorized, "login.code_expired")
	}
	if err != nil {
		return nil, "", err
	}
	u, err := s.User(ctx, userID)
	if err == nil && !u.Active {
		err = beheer.Errorf(beheer.CodeUnauthorized, "login.code_expired")
	}
	return u, next, err
}

// EndLoginChallenge removes a login challenge once it is used.
func (s *Store) EndLoginChallenge(ctx context.Context, id string) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.ExecContext(ctx, `DELETE FROM login_challenges WHERE id_hash = $1`, hashToken(id))
		return err
	})
}
