package server

import (
	"slices"
	"testing"

	"beheer"
)

// TestRoutePermissionsHeld: every route's permission is one that some role
// holds, so no route is closed to everyone by a misspelt or retired name.
func TestRoutePermissionsHeld(t *testing.T) {
	held := map[beheer.Permission]bool{signedIn: true}
	for _, r := range beheer.Roles {
		for _, p := range beheer.RolePermissions(r) {
			held[p] = true
		}
	}
	s := &Server{}
	var patterns []string
	for _, rt := range slices.Concat(s.publicRoutes(), s.pageRoutes()) {
		patterns = append(patterns, rt.pattern)
		if !held[rt.perm] {
			t.Errorf("page route %q needs %q, which no role holds", rt.pattern, rt.perm)
		}
	}
	for _, rt := range s.apiRoutes() {
		patterns = append(patterns, rt.pattern)
		if !held[rt.perm] {
			t.Errorf("API route %q needs %q, which no role holds", rt.pattern, rt.perm)
		}
	}
	slices.Sort(patterns)
	for i := 1; i < len(patterns); i++ {
		if patterns[i] == patterns[i-1] {
			t.Errorf("route %q is listed twice", patterns[i])
		}
	}
}

// TestPermitted is the gate's truth table: the route's permission held in
// any area lets the person through; without it the permission's own
// refusal answers.
func TestPermitted(t *testing.T) {
	keyUserHR := &beheer.Actor{UserID: 1, Roles: []beheer.Assignment{{Role: beheer.RoleKeyUser, AreaID: 7}}}
	technicalFin := &beheer.Actor{UserID: 2, Roles: []beheer.Assignment{{Role: beheer.RoleTechnicalAdmin, AreaID: 8}}}
	plain := &beheer.Actor{UserID: 3}
	tests := []struct {
		name  string
		actor *beheer.Actor
		perm  beheer.Permission
		key   string // "" : let through
	}{
		{"plain/signed_in", plain, signedIn, ""},
		{"plain/request_create", plain, beheer.PermRequestCreate, ""},
		{"plain/queue", plain, beheer.PermRequestRead, "error.forbidden"},
		{"plain/register", plain, beheer.PermRegisterRead, "register.forbidden"},
		{"key_user:hr/queue", keyUserHR, beheer.PermRequestRead, ""},
		{"key_user:hr/plan_input", keyUserHR, beheer.PermPlanInput, ""},
		{"key_user:hr/plan_keep", keyUserHR, beheer.PermPlanKeep, "plan.forbidden_keep"},
		{"technical:fin/register_keep", technicalFin, beheer.PermRegisterKeep, ""},
		{"technical:fin/publication_write", technicalFin, beheer.PermPublicationWrite, "publication.forbidden"},
		{"nobody/signed_in", nil, signedIn, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := permitted(tt.actor, tt.perm)
			switch {
			case tt.key == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.key != "" && (err == nil || beheer.ErrorCode(err) != beheer.CodeForbidden || err.(*beheer.Error).Key != tt.key):
				t.Errorf("got %v, want forbidden with %q", err, tt.key)
			}
		})
	}
}
