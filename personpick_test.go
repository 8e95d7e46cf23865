package beheer

import (
	"strings"
	"testing"
)

// TestPersonQuery: what was typed is trimmed, lowered and bounded.
func TestPersonQuery(t *testing.T) {
	long := strings.Repeat("é", MaxPersonQuery+5)
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"  Jan de Vries ", "jan de vries"},
		{"ÖZDEMIR", "özdemir"},
		{"50%_", "50%_"}, // wildcards are the store's to escape
		{long, strings.Repeat("é", MaxPersonQuery)},
	} {
		if got := PersonQuery(c.in); got != c.want {
			t.Errorf("PersonQuery(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestCanSearchByEmail: only those who keep the people search (and so
// learn about) e-mail addresses.
func TestCanSearchByEmail(t *testing.T) {
	for _, c := range []struct {
		name string
		a    *Actor
		want bool
	}{
		{"nobody", nil, false},
		{"gebruiker", actor(idPlainUser, role(RoleUser, 0)), false},
		{"key user", actor(idKeyUser, role(RoleKeyUser, areaOwn)), false},
		{"technical admin", actor(idTech, role(RoleTechnicalAdmin, 0)), false},
		{"management", actor(idManagement, role(RoleManagement, 0)), false},
		{"functional admin of one area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), true},
		{"functional admin", actor(idFunc, role(RoleFunctionalAdmin, 0)), true},
	} {
		if got := CanSearchByEmail(c.a); got != c.want {
			t.Errorf("%s: CanSearchByEmail = %v, want %v", c.name, got, c.want)
		}
	}
}
