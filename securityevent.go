package beheer

import (
	"context"
	"slices"
	"time"
)

// Security events are what an administrator or an auditor needs to see an
// attack or a misuse afterwards: failed and throttled logins, refused
// forms and requests, tokens made and revoked, second factors, password
// resets. Each is logged and kept; none carries a password, a token or a
// reset link.

// SecurityEventKind names what happened.
type SecurityEventKind string

// The kinds of security events.
const (
	EventLoginSucceeded      SecurityEventKind = "login.succeeded"
	EventLoginFailed         SecurityEventKind = "login.failed"
	EventLoginThrottled      SecurityEventKind = "login.throttled"
	EventLoginBurst          SecurityEventKind = "login.burst"
	EventCSRFRefused         SecurityEventKind = "csrf.refused"
	EventForbidden           SecurityEventKind = "access.forbidden"
	EventForwardedIgnored    SecurityEventKind = "forwarded.ignored"
	EventTokenCreated        SecurityEventKind = "token.created"
	EventTokenRevoked        SecurityEventKind = "token.revoked"
	EventSecondFactorOn      SecurityEventKind = "second_factor.enrolled"
	EventSecondFactorFailed  SecurityEventKind = "second_factor.failed"
	EventSecondFactorReused  SecurityEventKind = "second_factor.reused"
	EventRecoveryCodeUsed    SecurityEventKind = "second_factor.recovery_used"
	EventResetRequested      SecurityEventKind = "password_reset.requested"
	EventResetUsed           SecurityEventKind = "password_reset.used"
	EventResetNotSent        SecurityEventKind = "password_reset.not_sent"
	EventPasswordSetByAdmin  SecurityEventKind = "password.set_by_admin"
	EventSecondFactorCleared SecurityEventKind = "second_factor.cleared"
)

// SecurityEventKinds lists every kind, for filters and their messages.
var SecurityEventKinds = []SecurityEventKind{EventLoginSucceeded, EventLoginFailed, EventLoginThrottled, EventLoginBurst,
	EventCSRFRefused, EventForbidden, EventForwardedIgnored, EventTokenCreated, EventTokenRevoked, EventSecondFactorOn,
	EventSecondFactorFailed, EventSecondFactorReused, EventRecoveryCodeUsed, EventResetRequested, EventResetUsed,
	EventResetNotSent, EventPasswordSetByAdmin, EventSecondFactorCleared}

// Warn reports whether the event is logged as a warning: a refusal or a
// sign of an attack, rather than an account's ordinary life.
func (k SecurityEventKind) Warn() bool {
	switch k {
	case EventLoginSucceeded, EventTokenCreated, EventTokenRevoked, EventSecondFactorOn, EventResetRequested,
		EventResetUsed, EventPasswordSetByAdmin:
		return false
	}
	return true
}

// SecurityEvent is one event as kept: when, what, whose account (the
// person when known, the address typed otherwise), from which address and
// in which request, with a short detail that never holds a secret.
type SecurityEvent struct {
	ID        int64             `json:"id"`
	At        time.Time         `json:"at"`
	Kind      SecurityEventKind `json:"kind"`
	UserID    int64             `json:"user_id,omitempty"`
	Account   string            `json:"account,omitempty"`
	Address   string            `json:"address,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
	Detail    string            `json:"detail,omitempty"`
}

// Limits of a security event's texts, so that a forged header or a typed
// address cannot grow the table without bound.
const (
	maxEventText   = 200
	maxEventDetail = 500
)

// Clip shortens the event's texts to their limits.
func (e *SecurityEvent) Clip() {
	e.Account = clip(e.Account, maxEventText)
	e.Address = clip(e.Address, maxEventText)
	e.RequestID = clip(e.RequestID, maxEventText)
	e.Detail = clip(e.Detail, maxEventDetail)
}

// clip cuts s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n]
}

// SecurityEventFilter selects events for the export: a period, a kind and
// a person, newest first, at most Limit.
type SecurityEventFilter struct {
	From, To time.Time
	Kind     SecurityEventKind
	UserID   int64
	Limit    int
}

// SecurityEventRetention is how long security events are kept: a year,
// enough for an audit, and bounded so an attack cannot fill the disk.
const SecurityEventRetention = 365 * 24 * time.Hour

// MaxSecurityEvents bounds one export.
const MaxSecurityEvents = 10000

// Validate checks the filter and fills in the default limit.
func (f *SecurityEventFilter) Validate() error {
	var v Validation
	if f.Kind != "" && !slices.Contains(SecurityEventKinds, f.Kind) {
		v.Add("kind", "field.invalid_choice", "choices", joinCodes(SecurityEventKinds))
	}
	if f.Limit == 0 {
		f.Limit = 1000
	}
	if f.Limit < 1 || f.Limit > MaxSecurityEvents {
		v.Add("limit", "field.range", "min", 1, "max", MaxSecurityEvents)
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		v.Add("to", "field.invalid")
	}
	return v.Err()
}

// CanReadSecurityEvents reports whether the actor reads the security
// events: functional admins for every area, who manage people and
// settings, and management, who answer for the whole.
func CanReadSecurityEvents(a *Actor) bool {
	return holdsEverywhere(a, RoleFunctionalAdmin) || (a != nil && a.HasRole(RoleManagement))
}

// Origin is where an action came from, for its security events: the
// request's id and the client's address.
type Origin struct {
	RequestID string
	Address   string
}

type originKey struct{}

// WithOrigin attaches the origin of a request to ctx, so that the events a
// store operation records name it.
func WithOrigin(ctx context.Context, o Origin) context.Context {
	return context.WithValue(ctx, originKey{}, o)
}

// OriginFrom returns the origin attached to ctx, or none.
func OriginFrom(ctx context.Context) Origin {
	o, _ := ctx.Value(originKey{}).(Origin)
	return o
}
