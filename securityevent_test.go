package beheer

import (
	"strings"
	"testing"
	"time"
)

// TestSecurityEvents: who reads them, which kinds warn, and the filter.
func TestSecurityEvents(t *testing.T) {
	readers := []struct {
		name string
		a    *Actor
		want bool
	}{
		{"functional_admin/every_area", &Actor{UserID: 1, Roles: []Assignment{{Role: RoleFunctionalAdmin}}}, true},
		{"functional_admin/one_area", &Actor{UserID: 1, Roles: []Assignment{{Role: RoleFunctionalAdmin, AreaID: 2}}}, false},
		{"management", &Actor{UserID: 1, Roles: []Assignment{{Role: RoleManagement}}}, true},
		{"technical_admin", &Actor{UserID: 1, Roles: []Assignment{{Role: RoleTechnicalAdmin}}}, false},
		{"user", &Actor{UserID: 1}, false},
		{"nobody", nil, false},
	}
	for _, tt := range readers {
		if got := CanReadSecurityEvents(tt.a); got != tt.want {
			t.Errorf("%s reads: %v, want %v", tt.name, got, tt.want)
		}
	}
	if !EventLoginFailed.Warn() || !EventCSRFRefused.Warn() || EventTokenCreated.Warn() || EventLoginSucceeded.Warn() {
		t.Error("failures and refusals warn; an account's ordinary life does not")
	}
	now := time.Now()
	filters := []struct {
		name  string
		f     SecurityEventFilter
		field string
	}{
		{"empty", SecurityEventFilter{}, ""},
		{"a kind", SecurityEventFilter{Kind: EventLoginFailed}, ""},
		{"an unknown kind", SecurityEventFilter{Kind: "login.hacked"}, "kind"},
		{"too many", SecurityEventFilter{Limit: MaxSecurityEvents + 1}, "limit"},
		{"backwards", SecurityEventFilter{From: now, To: now.Add(-time.Hour)}, "to"},
	}
	for _, tt := range filters {
		err := tt.f.Validate()
		var v Validation
		if e, ok := err.(*Error); ok {
			for _, f := range e.Fields {
				v.Add(f.Field, f.Key)
			}
		}
		if (tt.field == "") != (err == nil) || (tt.field != "" && !v.Has(tt.field)) {
			t.Errorf("%s: %v, want a refusal of %q", tt.name, err, tt.field)
		}
	}
	e := SecurityEvent{Account: strings.Repeat("é", 300), Detail: strings.Repeat("x", 900)}
	e.Clip()
	if len(e.Account) > 200 || len(e.Detail) != 500 || !strings.HasSuffix(e.Account, "é") {
		t.Errorf("clipped to %d and %d bytes", len(e.Account), len(e.Detail))
	}
}
