package beheer

import "testing"

// TestMustEnrol is the table of who is sent to enrol a second factor.
func TestMustEnrol(t *testing.T) {
	on := Policy{AccountSettings: AccountSettings{RequireSecondFactor: true}}
	fa := &Actor{UserID: 1, Roles: []Assignment{{Role: RoleFunctionalAdmin, AreaID: 3}}}
	ta := &Actor{UserID: 2, Roles: []Assignment{{Role: RoleTechnicalAdmin}}}
	ku := &Actor{UserID: 3, Roles: []Assignment{{Role: RoleKeyUser}, {Role: RoleManagement}}}
	local := SecondFactorState{HasPassword: true}
	tests := []struct {
		name  string
		p     Policy
		a     *Actor
		state SecondFactorState
		want  bool
	}{
		{"required/functional_admin/not_enrolled", on, fa, local, true},
		{"required/technical_admin/not_enrolled", on, ta, local, true},
		{"required/functional_admin/enrolled", on, fa, SecondFactorState{HasPassword: true, Enrolled: true}, false},
		{"required/functional_admin/sso_only", on, fa, SecondFactorState{}, false},
		{"required/key_user_and_management", on, ku, local, false},
		{"not_required/functional_admin", Policy{}, fa, local, false},
		{"required/nobody", on, nil, local, false},
	}
	for _, tt := range tests {
		if got := MustEnrol(tt.p, tt.a, tt.state); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
