package beheer

import "time"

// Identity is a single sign-on account (an OpenID Connect issuer and the
// subject it gives a person) linked to a person in Beheer. Identities are
// linked by (issuer, subject) only, never by e-mail address: anyone who
// controls a provider account with someone's address would otherwise take
// over their account.
type Identity struct {
	Issuer    string    `json:"issuer"`
	Subject   string    `json:"subject"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
}

// MaxIdentityPart bounds an issuer URL or subject; OpenID Connect limits a
// subject to 255 ASCII characters.
const MaxIdentityPart = 1000

// CheckIdentity checks the two halves of an identity before it is linked:
// both given, neither absurdly long.
func CheckIdentity(issuer, subject string) error {
	var v Validation
	for _, part := range []struct{ field, value string }{{"issuer", issuer}, {"subject", subject}} {
		switch {
		case part.value == "":
			v.Add(part.field, "field.required")
		case len(part.value) > MaxIdentityPart:
			v.Add(part.field, "field.invalid")
		}
	}
	return v.Err()
}
