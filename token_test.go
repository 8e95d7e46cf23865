package beheer

import (
	"strings"
	"testing"
	"time"
)

// TestTokenExpiry is the table of the expiry bounds: the default when none
// is asked, anything from a day to the organisation's maximum, nothing
// beyond.
func TestTokenExpiry(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	p := DefaultPolicy()
	short := Policy{AccountSettings: AccountSettings{TokenDefaultDays: 30, TokenMaxDays: 7}}
	tests := []struct {
		name   string
		policy Policy
		in     NewToken
		want   time.Time // zero: refused
		field  string
	}{
		{"default/90_days", p, NewToken{Name: "AFAS-koppeling"}, now.Add(90 * day), ""},
		{"asked/1_day", p, NewToken{Name: "test", ExpiresInDays: 1}, now.Add(day), ""},
		{"asked/the_maximum", p, NewToken{Name: "test", ExpiresInDays: 365}, now.Add(365 * day), ""},
		{"asked/beyond_the_maximum/refused", p, NewToken{Name: "test", ExpiresInDays: 366}, time.Time{}, "expires_in_days"},
		{"asked/negative/refused", p, NewToken{Name: "test", ExpiresInDays: -1}, time.Time{}, "expires_in_days"},
		{"default_above_maximum/capped", short, NewToken{Name: "test"}, now.Add(7 * day), ""},
		{"no_name/refused", p, NewToken{ExpiresInDays: 5}, time.Time{}, "name"},
		{"name_too_long/refused", p, NewToken{Name: strings.Repeat("x", MaxName+1)}, time.Time{}, "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.in.Expiry(tt.policy, now)
			if tt.field == "" {
				if err != nil || !got.Equal(tt.want) {
					t.Fatalf("got %v, %v; want %v", got, err, tt.want)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != tt.field {
				t.Fatalf("got %v, want a refusal of %s", err, tt.field)
			}
		})
	}
}

// TestTokenBounds: the organisation's token settings stay within reason.
func TestTokenBounds(t *testing.T) {
	tests := []struct {
		name              string
		defDays, maxDays  int
		refused, refused2 string
	}{
		{"defaults", DefaultTokenDays, DefaultMaxTokenDays, "", ""},
		{"one_day_each", 1, 1, "", ""},
		{"five_years", 365, MaxTokenDays, "", ""},
		{"maximum_beyond_five_years", 30, MaxTokenDays + 1, "token_max_days", ""},
		{"default_above_maximum", 60, 30, "token_default_days", ""},
		{"zero_default", 0, 30, "token_default_days", ""},
		{"zero_maximum", 0, 0, "token_max_days", "token_default_days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v Validation
			AccountSettings{TokenDefaultDays: tt.defDays, TokenMaxDays: tt.maxDays}.Check(&v)
			for _, f := range []string{"token_default_days", "token_max_days"} {
				if want := f == tt.refused || f == tt.refused2; v.Has(f) != want {
					t.Errorf("%s refused: %v, want %v", f, v.Has(f), want)
				}
			}
		})
	}
}

// TestTokenLive: revoked or expired tokens open nothing.
func TestTokenLive(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	earlier := now.Add(-time.Hour)
	tests := []struct {
		name string
		tok  Token
		live bool
	}{
		{"fresh", Token{ExpiresAt: now.Add(time.Hour)}, true},
		{"expired", Token{ExpiresAt: earlier}, false},
		{"expiring_now", Token{ExpiresAt: now}, false},
		{"revoked", Token{ExpiresAt: now.Add(time.Hour), RevokedAt: &earlier}, false},
	}
	for _, tt := range tests {
		if got := tt.tok.Live(now); got != tt.live {
			t.Errorf("%s: live %v, want %v", tt.name, got, tt.live)
		}
	}
}

// TestWhoManagesTokens is the table of who lists and revokes whose tokens.
func TestWhoManagesTokens(t *testing.T) {
	const owner = 10
	tests := []struct {
		name        string
		actor       *Actor
		owners, all bool // may manage the owner's token; everyone's
	}{
		{"owner", &Actor{UserID: owner}, true, false},
		{"plain_user", &Actor{UserID: 11}, false, false},
		{"functional_admin/every_area", &Actor{UserID: 12, Roles: []Assignment{{Role: RoleFunctionalAdmin}}}, true, true},
		{"functional_admin/one_area", &Actor{UserID: 13, Roles: []Assignment{{Role: RoleFunctionalAdmin, AreaID: 1}}}, false, false},
		{"technical_admin/every_area", &Actor{UserID: 14, Roles: []Assignment{{Role: RoleTechnicalAdmin}}}, false, false},
		{"management", &Actor{UserID: 15, Roles: []Assignment{{Role: RoleManagement}}}, false, false},
		{"nobody", nil, false, false},
		{"no_person", &Actor{}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanManageToken(tt.actor, owner); got != tt.owners {
				t.Errorf("the owner's token: %v, want %v", got, tt.owners)
			}
			if got := CanManageAllTokens(tt.actor); got != tt.all {
				t.Errorf("every token: %v, want %v", got, tt.all)
			}
		})
	}
}
