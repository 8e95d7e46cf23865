package beheer

import "time"

// API tokens let an integration act for a person. A token that leaks must
// stop working: it expires by itself within the organisation's bounds, its
// owner or a functional admin for every area revokes it, and deactivating
// its person revokes it for good.

// Token expiry bounds, in days.
const (
	// DefaultTokenDays is how long a token lives when its maker does not
	// say, until the organisation chooses otherwise.
	DefaultTokenDays = 90
	// DefaultMaxTokenDays is the longest a token may live until the
	// organisation chooses otherwise: a year.
	DefaultMaxTokenDays = 365
	// MaxTokenDays bounds what the organisation may choose: five years.
	MaxTokenDays = 5 * 365
)

// AccountSettings are the organisation's settings of accounts, part of its
// Policy and of its Settings.
type AccountSettings struct {
	// TokenDefaultDays is how long a new API token lives when its maker
	// does not say; TokenMaxDays the longest it may live.
	TokenDefaultDays int `json:"token_default_days"`
	TokenMaxDays     int `json:"token_max_days"`
	// RequireSecondFactor sends functional and technical admins with a
	// password to enrol a second factor before they work (secondfactor.go).
	RequireSecondFactor bool `json:"require_second_factor"`
	// OrganisationName is refused, in parts, in passwords.
	OrganisationName string `json:"organisation_name"`
}

// Token is an API token as its owner and administrators see it: never the
// secret, which is shown once when it is made.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	OwnerName  string     `json:"owner_name"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Live reports whether the token still opens the API at now: not revoked
// and not expired.
func (t *Token) Live(now time.Time) bool { return t.RevokedAt == nil && now.Before(t.ExpiresAt) }

// NewToken is what a person asks for: a name to recognise the token by and
// how many days it should live (0: the organisation's default).
type NewToken struct {
	Name          string
	ExpiresInDays int
}

// Expiry checks the request against the organisation's bounds and returns
// when the token expires, counted from now.
func (n *NewToken) Expiry(p Policy, now time.Time) (time.Time, error) {
	var v Validation
	validateLine(&v, "name", n.Name, MaxName, true)
	days := n.ExpiresInDays
	if days == 0 {
		days = min(p.TokenDefaultDays, p.TokenMaxDays)
	}
	if days < 1 || days > p.TokenMaxDays {
		v.Add("expires_in_days", "token.expiry_range", "max", p.TokenMaxDays)
	}
	if err := v.Err(); err != nil {
		return time.Time{}, err
	}
	return now.Add(time.Duration(days) * 24 * time.Hour), nil
}

// Check adds a message for token settings out of bounds: the default at
// least a day and at most the maximum, the maximum at most MaxTokenDays;
// and for an organisation name that is too long.
func (p AccountSettings) Check(v *Validation) {
	if p.TokenMaxDays < 1 || p.TokenMaxDays > MaxTokenDays {
		v.Add("token_max_days", "field.range", "min", 1, "max", MaxTokenDays)
	}
	if p.TokenDefaultDays < 1 || p.TokenDefaultDays > max(p.TokenMaxDays, 1) {
		v.Add("token_default_days", "field.range", "min", 1, "max", max(p.TokenMaxDays, 1))
	}
	validateLine(v, "organisation_name", p.OrganisationName, MaxName, false)
}

// CanManageAllTokens reports whether the actor lists and revokes every
// person's tokens: a functional admin for every area, as people are managed
// for the whole organisation.
func CanManageAllTokens(a *Actor) bool { return a.Can(PermTokenManage, 0) }

// CanManageToken reports whether the actor lists and revokes the tokens of
// the person owner: their own, or anyone's for CanManageAllTokens.
func CanManageToken(a *Actor, owner int64) bool {
	return a != nil && (a.UserID != 0 && a.UserID == owner && a.Can(PermTokenKeep, 0) || CanManageAllTokens(a))
}

// holdsEverywhere reports whether the actor holds role for every area.
func holdsEverywhere(a *Actor, role Role) bool {
	if a == nil {
		return false
	}
	for _, as := range a.Roles {
		if as.Role == role && as.AreaID == 0 {
			return true
		}
	}
	return false
}
