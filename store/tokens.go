package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"time"

	"beheer"
)

// TokenPrefix starts every API token, so a leaked token is recognisable.
const TokenPrefix = "bhr_"

// useResolution is how often a token's last use is written at most: often
// enough to see which integrations still run, rarely enough to add no write
// to the API's requests.
const useResolution = time.Minute

// IssueToken makes a new API token for the person owner, within the
// organisation's expiry bounds, and returns its secret (shown once; only
// its SHA-256 is kept) and the token.
func (s *Store) IssueToken(ctx context.Context, actor *beheer.Actor, owner int64, n beheer.NewToken) (string, *beheer.Token, error) {
	if !beheer.CanManageToken(actor, owner) {
		return "", nil, beheer.ErrForbidden("token.forbidden")
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(secret))
	var tok *beheer.Token
	err := s.writeSecure(ctx, true, func(t *tx, ev *eventLog) error {
		var email, ownerName string
		err := t.QueryRowContext(ctx, `SELECT email, name FROM users WHERE id = $1 AND active`, owner).Scan(&email, &ownerName)
		if errors.Is(err, sql.ErrNoRows) {
			return beheer.ErrNotFound()
		} else if err != nil {
			return err
		}
		p, err := t.policy(ctx)
		if err != nil {
			return err
		}
		expires, err := n.Expiry(p, t.now)
		if err != nil {
			return err
		}
		tok = &beheer.Token{UserID: owner, OwnerName: ownerName, Name: strings.TrimSpace(n.Name), CreatedAt: t.now, ExpiresAt: expires}
		if err := t.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, owner, tok.Name, sum[:], ms(t.now), ms(expires)).Scan(&tok.ID); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, 0, "token.created", "user:"+itoa(owner), "", tokenRef(tok.ID, tok.Name), false); err != nil {
			return err
		}
		return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventTokenCreated, UserID: owner, Account: email,
			Detail: "token " + itoa(tok.ID) + " " + tok.Name + ", by " + actorName(actor) + ", until " + expires.Format(time.DateOnly)})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, tok, nil
}

// CreateToken makes a token for a person with the organisation's default
// lifetime, for the command line and tests.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, error) {
	if strings.TrimSpace(name) == "" {
		name = "token"
	}
	secret, _, err := s.IssueToken(ctx, System, userID, beheer.NewToken{Name: name})
	return secret, err
}

// actorName names who acted in an event's detail.
func actorName(a *beheer.Actor) string {
	if a == nil || a.UserID == 0 {
		return "system"
	}
	return "person " + itoa(a.UserID)
}

// RevokeToken ends a token at once, on every server (the revocation goes
// through writePeople and, on PostgreSQL, the beheer_auth notification). Its
// owner and functional admins for every area revoke; for anyone else the
// token does not exist. Revoking a revoked token changes nothing.
func (s *Store) RevokeToken(ctx context.Context, actor *beheer.Actor, id int64) error {
	return s.writeSecure(ctx, true, func(t *tx, ev *eventLog) error {
		var owner int64
		var email, name string
		var revoked sql.NullInt64
		err := t.QueryRowContext(ctx, `SELECT t.user_id, u.email, t.name, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id
			WHERE t.id = $1`+t.s.dialect.lock(""), id).Scan(&owner, &email, &name, &revoked)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !beheer.CanManageToken(actor, owner)) {
			return beheer.ErrNotFound()
		} else if err != nil || revoked.Valid {
			return err
		}
		if _, err := t.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3`,
			ms(t.now), nullID(actor.UserID), id); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, 0, "token.revoked", "user:"+itoa(owner), tokenRef(id, name), "", false); err != nil {
			return err
		}
		return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventTokenRevoked, UserID: owner, Account: email,
			Detail: "token " + itoa(id) + ", by " + actorName(actor)})
	})
}

// revokeTokens revokes every live token of a person, inside a transaction:
// a deactivated person's tokens end for good, and reactivating the person
// does not bring them back.
func (t *tx) revokeTokens(ctx context.Context, ev *eventLog, userID int64, actor *beheer.Actor) error {
	live, err := t.liveTokens(ctx, userID)
	if err != nil || len(live) == 0 {
		return err
	}
	if _, err := t.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE user_id = $3 AND revoked_at IS NULL`,
		ms(t.now), nullID(actor.UserID), userID); err != nil {
		return err
	}
	for _, ref := range live {
		if err := t.audit(ctx, actor, 0, "token.revoked", "user:"+itoa(userID), ref, "", false); err != nil {
			return err
		}
	}
	return ev.add(ctx, t, beheer.SecurityEvent{Kind: beheer.EventTokenRevoked, UserID: userID,
		Detail: itoa(int64(len(live))) + " tokens, person deactivated by " + actorName(actor)})
}

// liveTokens names a person's tokens that are not revoked (tokenRef).
func (t *tx) liveTokens(ctx context.Context, userID int64) ([]string, error) {
	rows, err := t.QueryContext(ctx, `SELECT id, name FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out = append(out, tokenRef(id, name))
	}
	return out, rows.Err()
}

// tokenRef names a token in the organisation's audit log, where its
// creation and revocation are written with who did it: its number and
// name, never its secret.
func tokenRef(id int64, name string) string { return itoa(id) + " " + name }

// Tokens lists the tokens of the person owner, or with owner 0 everyone's,
// newest first: the owner's own, or anyone's for functional admins for
// every area.
func (s *Store) Tokens(ctx context.Context, actor *beheer.Actor, owner int64) ([]beheer.Token, error) {
	if (owner == 0 && !beheer.CanManageAllTokens(actor)) || (owner != 0 && !beheer.CanManageToken(actor, owner)) {
		return nil, beheer.ErrForbidden("token.forbidden")
	}
	q := `SELECT t.id, t.user_id, u.name, t.name, t.created_at, t.expires_at, t.last_used_at, t.revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id`
	args := []any{}
	if owner != 0 {
		q += ` WHERE t.user_id = $1`
		args = append(args, owner)
	}
	out := []beheer.Token{}
	err := s.read(ctx, func(qr querier) error {
		rows, err := qr.QueryContext(ctx, q+` ORDER BY t.id DESC LIMIT 1000`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var tok beheer.Token
			var created, expires, used, revoked sql.NullInt64
			if err := rows.Scan(&tok.ID, &tok.UserID, &tok.OwnerName, &tok.Name, &created, &expires, &used, &revoked); err != nil {
				return err
			}
			tok.CreatedAt, tok.ExpiresAt = fromMS(created), fromMS(expires)
			tok.LastUsedAt, tok.RevokedAt = timeOrNil(used), timeOrNil(revoked)
			out = append(out, tok)
		}
		return rows.Err()
	})
	return out, err
}

// timeOrNil is a stored moment, or nil when there is none.
func timeOrNil(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v)
	return &t
}

// Authenticate returns the active person a live token belongs to, or an
// unauthorised error for a token that is unknown, revoked, expired or of a
// deactivated person. It is the API's hot path: one query for a token not
// in the cache (authcache.go); for one in it, none on PostgreSQL and one
// that reads a single count on SQLite. It writes nothing: the token's last
// use is written at most once a minute, after the answer.
func (s *Store) Authenticate(ctx context.Context, token string) (*beheer.User, error) {
	if !strings.HasPrefix(token, TokenPrefix) || len(token) > 100 {
		return nil, beheer.Errorf(beheer.CodeUnauthorized, "error.unauthorized")
	}
	sum := sha256.Sum256([]byte(token))
	now := s.now()
	e, fresh, gen, err := s.cached(ctx, tokenKey(sum))
	if err != nil {
		return nil, err
	}
	if fresh && now.Before(e.tokenExpires) {
		s.tokenUsed(e.token, now)
		return e.u, nil
	}
	var u *beheer.User
	var changes, id, expires int64
	err = s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SELECT `+s.changesColumn()+`, t.id, t.expires_at, `+personColumns+` FROM api_tokens t
			JOIN users u ON u.id = t.user_id`+personRoles+`
			WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.active`+personOrder, sum[:], ms(now))
		if err != nil {
			return err
		}
		if u, err = scanPerson(rows, &changes, &id, &expires); err == nil && u == nil {
			return beheer.Errorf(beheer.CodeUnauthorized, "error.unauthorized")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	s.auth.put(tokenKey(sum), gen, authEntry{u: u, token: id, tokenExpires: time.UnixMilli(expires), changes: changes}, time.Now())
	s.tokenUsed(id, now)
	return u, nil
}

// tokenUses remembers when this process last wrote each token's last use.
type tokenUses struct {
	mu      sync.Mutex
	written map[int64]time.Time
	wg      sync.WaitGroup // the writes under way, for Close
}

// due reports whether the use of token id at now must be written, and if
// so counts it as written.
func (u *tokenUses) due(id int64, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if last, ok := u.written[id]; ok && now.Sub(last) < useResolution && now.After(last.Add(-useResolution)) {
		return false
	}
	if len(u.written) >= authMaxEntries {
		clear(u.written)
	}
	u.written[id] = now
	return true
}

// tokenUsed writes the token's last use when it is due, after the answer:
// in the background, never on the request's path.
func (s *Store) tokenUsed(id int64, now time.Time) {
	if s.uses == nil || !s.uses.due(id, now) {
		return
	}
	s.uses.wg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.write(ctx, func(t *tx) error {
			_, err := t.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2
				AND (last_used_at IS NULL OR last_used_at < $1)`, ms(now), id)
			return err
		}); err != nil {
			s.log.Warn("token last use not written", "token", id, "err", err)
		}
	})
}

// WaitTokenUses waits until the last uses noted so far are written.
func (s *Store) WaitTokenUses() {
	if s.uses != nil {
		s.uses.wg.Wait()
	}
}
