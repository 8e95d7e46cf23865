package beheer

import "time"

// Session lifetimes: a session ends after IdleTimeout without use, and in
// any case AbsoluteTimeout after login, so a browser left signed in on a
// shared machine does not stay signed in.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	// SeenResolution is how often a session's last use is written at most:
	// often enough for the idle timeout, rarely enough not to write on
	// every page.
	SeenResolution = time.Minute
)

// Session is a signed-in browser.
type Session struct {
	ID        string // only known right after creation; stored hashed
	User      *User
	CSRF      string
	CreatedAt time.Time
	SeenAt    time.Time
	ExpiresAt time.Time // AbsoluteTimeout after CreatedAt, whatever the use
}

// NewSession is a session started now with a fresh id and CSRF token
// (never one from before the login).
func NewSession(id, csrf string, now time.Time) *Session {
	return &Session{ID: id, CSRF: csrf, CreatedAt: now, SeenAt: now, ExpiresAt: now.Add(AbsoluteTimeout)}
}

// Expired reports whether the session has ended at now: its person was
// deactivated, it outlived AbsoluteTimeout, or it was not used for longer
// than IdleTimeout.
func (s *Session) Expired(now time.Time) bool {
	return s.User == nil || !s.User.Active || now.After(s.ExpiresAt) || now.Sub(s.SeenAt) > IdleTimeout
}

// NeedsSeen reports whether the session's last use must be written at now:
// when it is older than SeenResolution.
func (s *Session) NeedsSeen(now time.Time) bool { return now.Sub(s.SeenAt) > SeenResolution }
