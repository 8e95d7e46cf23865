package beheer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// permissionMatrix is the role table of PRODUCT.md ("The five roles") as
// permissions: x means the role holds the permission (for its areas when it
// is scoped), o that it holds it for the whole organisation even when it is
// scoped. Everyone with an account holds the user column.
const permissionMatrix = `
permission              user  key_user  functional_admin  technical_admin  management
request:create          x     x         x                 x                x
request:read            .     x         x                 x                x
request:comment         .     x         x                 x                .
request:internal        .     x         x                 x                x
request:manage          .     .         x                 .                .
request:technical       .     .         .                 x                .
request:decide          .     x         .                 .                .
request:escalate        .     .         x                 .                .
task:create             .     .         x                 .                .
task:work               .     .         .                 x                .
user:manage             .     .         x                 .                .
area:manage             .     .         x                 .                .
audit:read              .     x         x                 x                x
audit:organisation      .     .         x                 .                x
report:read             .     x         x                 .                x
plan:read               x     x         x                 x                x
plan:input              .     x         x                 .                .
plan:keep               .     .         x                 .                .
plan:approve            .     .         .                 .                x
release:read            .     x         x                 x                x
release:manage          .     .         x                 .                .
release:test_functional .     .         x                 .                .
release:test_technical  .     .         .                 x                .
register:read           .     .         x                 x                x
register:keep           .     .         x                 o                .
publication:read        x     x         x                 x                x
publication:write       .     .         x                 .                .
sla:read                x     x         x                 x                x
sla:manage              .     .         x                 .                .
webhook:manage          .     .         x                 x                .
integration:manage      .     .         x                 x                .
settings:manage         .     .         x                 .                .
profile:read            x     x         x                 x                x
profile:keep            .     .         x                 .                .
outage:manage           .     .         o                 o                .
answer:manage           .     .         x                 .                .
token:keep              x     x         x                 x                x
token:manage            .     .         x                 .                .
`

// matrix parses permissionMatrix into the permissions in row order and the
// holders of each.
func matrix(t *testing.T) (perms []Permission, holds map[Role]map[Permission]bool) {
	perms, holds, _ = matrixWide(t)
	return perms, holds
}

// matrixWide is matrix with the permissions each role holds organisation-wide.
func matrixWide(t *testing.T) (perms []Permission, holds, wide map[Role]map[Permission]bool) {
	t.Helper()
	rows, marks := readMatrix(t, permissionMatrix)
	holds, wide = map[Role]map[Permission]bool{}, map[Role]map[Permission]bool{}
	for _, r := range Roles {
		holds[r], wide[r] = map[Permission]bool{}, map[Permission]bool{}
	}
	for _, row := range rows {
		perm := Permission(row)
		perms = append(perms, perm)
		for _, r := range Roles {
			holds[r][perm] = marks[row][r] == "x" || marks[row][r] == "o"
			wide[r][perm] = marks[row][r] == "o"
		}
	}
	return perms, holds, wide
}

// readMatrix parses a table of marks: a header naming the roles in the
// order of Roles, then per row a name and one mark per role.
func readMatrix(t *testing.T, table string) (rows []string, marks map[string]map[Role]string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(table), "\n")
	var cols []Role
	for _, c := range strings.Fields(lines[0])[1:] {
		cols = append(cols, Role(c))
	}
	if !slices.Equal(cols, Roles) {
		t.Fatalf("matrix columns %v, want Roles %v", cols, Roles)
	}
	marks = map[string]map[Role]string{}
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		if len(f) != len(cols)+1 {
			t.Fatalf("matrix row %q has %d marks, want %d", line, len(f)-1, len(cols))
		}
		rows = append(rows, f[0])
		marks[f[0]] = map[Role]string{}
		for i, mark := range f[1:] {
			marks[f[0]][cols[i]] = mark
		}
	}
	return rows, marks
}

// scoping is one way a role is held: unscoped (every area) or for area 1.
type scoping struct {
	name string
	area int64
}

var scopings = []scoping{{"unscoped", 0}, {"scoped:1", areaOwn}}

// areaName names an area in subtest names.
func areaName(a int64) string {
	switch a {
	case 0:
		return "unknown_area"
	case areaOwn:
		return "area:1"
	}
	return "area:2"
}

func allowedName(b bool) string {
	if b {
		return "allowed"
	}
	return "forbidden"
}

func TestRolePermissionsMatchProduct(t *testing.T) {
	perms, holds := matrix(t)
	for _, r := range Roles {
		var want []Permission
		for _, p := range perms {
			if holds[r][p] {
				want = append(want, p)
			}
		}
		got := RolePermissions(r)
		slices.Sort(got)
		slices.Sort(want)
		t.Run(string(r), func(t *testing.T) {
			if !slices.Equal(got, want) {
				t.Errorf("RolePermissions(%s) = %v, want %v", r, got, want)
			}
		})
	}
	t.Run("copy", func(t *testing.T) {
		p := RolePermissions(RoleKeyUser)
		p[0] = "changed"
		if RolePermissions(RoleKeyUser)[0] == "changed" {
			t.Error("RolePermissions returned the table itself, not a copy")
		}
	})
}

// TestActorCan is the truth table role × scoping × area × permission.
func TestActorCan(t *testing.T) {
	perms, holds, wide := matrixWide(t)
	for _, r := range Roles {
		for _, sc := range scopings {
			if sc.area != 0 && !r.Scopable() {
				continue // user and management are never held for one area
			}
			a := actor(1, role(r, sc.area))
			for _, area := range []int64{0, areaOwn, areaOther} {
				for _, p := range perms {
					covers := sc.area == 0 || sc.area == area || wide[r][p]
					want := holds[RoleUser][p] || (holds[r][p] && covers)
					name := fmt.Sprintf("%s/%s/%s/%s→%s", r, sc.name, areaName(area), p, allowedName(want))
					t.Run(name, func(t *testing.T) {
						if got := a.Can(p, area); got != want {
							t.Errorf("Can(%s, %d) = %v, want %v", p, area, got, want)
						}
					})
				}
			}
		}
	}
}

func TestActorCanAnywhere(t *testing.T) {
	perms, holds := matrix(t)
	for _, r := range Roles {
		for _, sc := range scopings {
			if sc.area != 0 && !r.Scopable() {
				continue
			}
			a := actor(1, role(r, sc.area))
			for _, p := range perms {
				want := holds[RoleUser][p] || holds[r][p]
				t.Run(fmt.Sprintf("%s/%s/%s→%s", r, sc.name, p, allowedName(want)), func(t *testing.T) {
					if got := a.CanAnywhere(p); got != want {
						t.Errorf("CanAnywhere(%s) = %v, want %v", p, got, want)
					}
				})
			}
		}
	}
}

// TestActorScope checks Scope against the role table, and that it agrees
// with Can: Scope says where Can is true. Permissions everyone holds (the
// user role's) are held everywhere, whatever the actor's other roles.
func TestActorScope(t *testing.T) {
	perms, holds, wide := matrixWide(t)
	const implicitBug = "Scope ignores the implicit user permissions that Can grants everyone: " +
		"Scope(request:create) for an actor with only area-scoped roles (or none) is not (all=true), " +
		"while Can(request:create, any area) is true"
	type want struct {
		all   bool
		areas []int64
	}
	for _, r := range Roles {
		for _, sc := range scopings {
			if sc.area != 0 && !r.Scopable() {
				continue
			}
			a := actor(1, role(r, sc.area))
			for _, p := range perms {
				var w want
				bug := ""
				switch {
				case holds[RoleUser][p]:
					w.all = true
					if sc.area != 0 {
						bug = implicitBug
					}
				case holds[r][p] && (sc.area == 0 || wide[r][p]):
					w.all = true
				case holds[r][p]:
					w.areas = []int64{sc.area}
				}
				label := "none"
				if w.all {
					label = "all"
				} else if len(w.areas) > 0 {
					label = fmt.Sprint(w.areas)
				}
				t.Run(fmt.Sprintf("%s/%s/%s→%s", r, sc.name, p, label), func(t *testing.T) {
					all, areas := a.Scope(p)
					verdict(t, bug, all == w.all && slices.Equal(areas, w.areas),
						"Scope(%s) = %v, %v; want %v, %v", p, all, areas, w.all, w.areas)
					for _, area := range []int64{0, areaOwn, areaOther} {
						inScope := all || slices.Contains(areas, area)
						verdict(t, bug, inScope == a.Can(p, area),
							"Scope(%s) covers area %d: %v, but Can says %v", p, area, inScope, a.Can(p, area))
					}
				})
			}
		}
	}
}

// TestActorWithoutRoles: a person with an account and no roles holds the
// user role's permissions everywhere, and nothing else.
func TestActorWithoutRoles(t *testing.T) {
	perms, holds := matrix(t)
	a := actor(idPlainUser)
	for _, p := range perms {
		want := holds[RoleUser][p]
		for _, area := range []int64{0, areaOwn, areaOther} {
			t.Run(fmt.Sprintf("no_roles/%s/%s→%s", areaName(area), p, allowedName(want)), func(t *testing.T) {
				if got := a.Can(p, area); got != want {
					t.Errorf("Can(%s, %d) = %v, want %v", p, area, got, want)
				}
			})
		}
		t.Run(fmt.Sprintf("no_roles/anywhere/%s→%s", p, allowedName(want)), func(t *testing.T) {
			if got := a.CanAnywhere(p); got != want {
				t.Errorf("CanAnywhere(%s) = %v, want %v", p, got, want)
			}
		})
		t.Run(fmt.Sprintf("no_roles/scope/%s", p), func(t *testing.T) {
			all, areas := a.Scope(p)
			bug := ""
			if want {
				bug = "Scope returns (false, nil) for the user role's own permissions of a person without roles, " +
					"though Can grants them in every area"
			}
			verdict(t, bug, all == want && len(areas) == 0, "Scope(%s) = %v, %v; want %v, []", p, all, areas, want)
		})
	}
}

func TestActorNil(t *testing.T) {
	var a *Actor
	for _, p := range []Permission{PermRequestCreate, PermRequestRead, PermUserManage} {
		t.Run(string(p), func(t *testing.T) {
			if a.Can(p, 0) || a.Can(p, areaOwn) || a.CanAnywhere(p) {
				t.Error("a nil actor holds a permission")
			}
			if all, areas := a.Scope(p); all || areas != nil {
				t.Errorf("Scope = %v, %v for a nil actor", all, areas)
			}
		})
	}
}

// TestActorSeveralRoles: roles add up; Scope lists each area once, sorted.
func TestActorSeveralRoles(t *testing.T) {
	tests := []struct {
		name  string
		roles []Assignment
		perm  Permission
		all   bool
		areas []int64
	}{
		{"key_user:2+key_user:1/read→[1 2]", []Assignment{role(RoleKeyUser, 2), role(RoleKeyUser, 1)}, PermRequestRead, false, []int64{1, 2}},
		{"key_user:1+key_user:1/read→[1]", []Assignment{role(RoleKeyUser, 1), role(RoleKeyUser, 1)}, PermRequestRead, false, []int64{1}},
		{"key_user:1+key_user/read→all", []Assignment{role(RoleKeyUser, 1), role(RoleKeyUser, 0)}, PermRequestRead, true, nil},
		{"key_user:1+functional_admin:2/read→[1 2]", []Assignment{role(RoleKeyUser, 1), role(RoleFunctionalAdmin, 2)}, PermRequestRead, false, []int64{1, 2}},
		{"key_user:1+functional_admin:2/decide→[1]", []Assignment{role(RoleKeyUser, 1), role(RoleFunctionalAdmin, 2)}, PermRequestDecide, false, []int64{1}},
		{"key_user:1+functional_admin:2/manage→[2]", []Assignment{role(RoleKeyUser, 1), role(RoleFunctionalAdmin, 2)}, PermRequestManage, false, []int64{2}},
		{"key_user:1+management/read→all", []Assignment{role(RoleKeyUser, 1), role(RoleManagement, 0)}, PermRequestRead, true, nil},
		{"key_user:1+management/comment→[1]", []Assignment{role(RoleKeyUser, 1), role(RoleManagement, 0)}, PermRequestComment, false, []int64{1}},
		{"technical_admin:3+technical_admin:1/technical→[1 3]", []Assignment{role(RoleTechnicalAdmin, 3), role(RoleTechnicalAdmin, 1)}, PermRequestTechnical, false, []int64{1, 3}},
		{"unknown_role/read→none", []Assignment{role("boss", 0)}, PermRequestRead, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := actor(1, tt.roles...)
			all, areas := a.Scope(tt.perm)
			if all != tt.all || !slices.Equal(areas, tt.areas) {
				t.Errorf("Scope(%s) = %v, %v; want %v, %v", tt.perm, all, areas, tt.all, tt.areas)
			}
			for _, area := range []int64{0, 1, 2, 3} {
				want := tt.all || slices.Contains(tt.areas, area)
				if got := a.Can(tt.perm, area); got != want {
					t.Errorf("Can(%s, %d) = %v, want %v", tt.perm, area, got, want)
				}
			}
			if got, want := a.CanAnywhere(tt.perm), tt.all || len(tt.areas) > 0; got != want {
				t.Errorf("CanAnywhere(%s) = %v, want %v", tt.perm, got, want)
			}
		})
	}
}

func TestRoleValidScopable(t *testing.T) {
	tests := []struct {
		role            Role
		valid, scopable bool
	}{
		{RoleUser, true, false},
		{RoleKeyUser, true, true},
		{RoleFunctionalAdmin, true, true},
		{RoleTechnicalAdmin, true, true},
		{RoleManagement, true, false},
		{"boss", false, false},
		{"", false, false},
		{"Key_User", false, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q→valid=%v,scopable=%v", tt.role, tt.valid, tt.scopable), func(t *testing.T) {
			if got := tt.role.Valid(); got != tt.valid {
				t.Errorf("Valid() = %v", got)
			}
			if got := tt.role.Scopable(); got != tt.scopable {
				t.Errorf("Scopable() = %v", got)
			}
		})
	}
}

func TestParseAssignment(t *testing.T) {
	tests := []struct {
		in   string
		role Role
		area string
		ok   bool
		bug  string
	}{
		{"key_user:hr", RoleKeyUser, "hr", true, ""},
		{"key_user", RoleKeyUser, "", true, ""},
		{"functional_admin:salaris", RoleFunctionalAdmin, "salaris", true, ""},
		{"functional_admin", RoleFunctionalAdmin, "", true, ""},
		{"technical_admin:integraties", RoleTechnicalAdmin, "integraties", true, ""},
		{"user", RoleUser, "", true, ""},
		{"management", RoleManagement, "", true, ""},
		{"user:hr", "", "", false, ""},
		{"management:hr", "", "", false, ""},
		{"boss", "", "", false, ""},
		{"boss:hr", "", "", false, ""},
		{"", "", "", false, ""},
		{":hr", "", "", false, ""},
		{"KEY_USER:hr", "", "", false, ""},
		{"key_user:", "", "", false, `"key_user:" (an empty area, e.g. from an empty shell variable) is accepted ` +
			`as an unscoped key_user, i.e. the role for EVERY area, instead of being refused`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q→%s", tt.in, map[bool]string{true: "ok", false: "not_ok"}[tt.ok]), func(t *testing.T) {
			r, area, ok := ParseAssignment(tt.in)
			verdict(t, tt.bug, r == tt.role && area == tt.area && ok == tt.ok,
				"ParseAssignment(%q) = %q, %q, %v; want %q, %q, %v", tt.in, r, area, ok, tt.role, tt.area, tt.ok)
		})
	}
}

// TestNewUserRoles: user and management are never held for one area; the
// three other roles may be.
func TestNewUserRoles(t *testing.T) {
	tests := []struct {
		name  string
		roles []Assignment
		want  result
	}{
		{"none", nil, allowed},
		{"user", []Assignment{role(RoleUser, 0)}, allowed},
		{"key_user:1", []Assignment{role(RoleKeyUser, areaOwn)}, allowed},
		{"functional_admin:1+technical_admin:2", []Assignment{role(RoleFunctionalAdmin, areaOwn), role(RoleTechnicalAdmin, areaOther)}, allowed},
		{"management", []Assignment{role(RoleManagement, 0)}, allowed},
		{"user:1", []Assignment{role(RoleUser, areaOwn)}, invalid("roles")},
		{"management:1", []Assignment{role(RoleManagement, areaOwn)}, invalid("roles")},
		{"boss", []Assignment{role("boss", 0)}, invalid("roles")},
		{"key_user+boss", []Assignment{role(RoleKeyUser, 0), role("boss", 0)}, invalid("roles")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			n := NewUser{Email: "p.de.vries@example.nl", Name: "Piet de Vries", Roles: tt.roles}
			expect(t, "", n.Validate(), tt.want)
		})
	}
}
