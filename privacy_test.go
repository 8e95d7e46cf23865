package beheer

import "testing"

// TestPrivacyRules: a person reads their own data; a functional admin for
// all areas reads and anonymises anyone but themselves; nobody else does
// either.
func TestPrivacyRules(t *testing.T) {
	tests := []struct {
		name      string
		a         *Actor
		about     int64
		export    result
		anonymise result
	}{
		{"own_data", actor(idRequester), idRequester, allowed, forbidden("error.forbidden")},
		{"someone_else", actor(idRequester), idPlainUser, forbidden("error.forbidden"), forbidden("error.forbidden")},
		{"functional_admin/unscoped", actor(idFunc, role(RoleFunctionalAdmin, 0)), idRequester, allowed, allowed},
		{"functional_admin/unscoped/self", actor(idFunc, role(RoleFunctionalAdmin, 0)), idFunc, allowed, conflict("people.not_yourself")},
		{"functional_admin/own_area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), idRequester, forbidden("error.forbidden"), forbidden("error.forbidden")},
		{"management", actor(idManagement, role(RoleManagement, 0)), idRequester, forbidden("error.forbidden"), forbidden("error.forbidden")},
		{"technical_admin/unscoped", actor(idTech, role(RoleTechnicalAdmin, 0)), idRequester, forbidden("error.forbidden"), forbidden("error.forbidden")},
		{"nobody", nil, idRequester, forbidden("error.forbidden"), forbidden("error.forbidden")},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/export="+outcomeName(tt.export)+",anonymise="+outcomeName(tt.anonymise), func(t *testing.T) {
			expect(t, "", CheckExportPerson(tt.a, tt.about), tt.export)
			if got := CanExportPerson(tt.a, tt.about); got != (tt.export.Code == "") {
				t.Errorf("CanExportPerson = %v", got)
			}
			expect(t, "", CheckAnonymise(tt.a, tt.about), tt.anonymise)
		})
	}
}

func TestAnonymousPerson(t *testing.T) {
	name, email := AnonymousPerson(42)
	if name != "Oud-medewerker 42" || email != "verwijderd-42@anoniem.invalid" {
		t.Errorf("AnonymousPerson(42) = %q, %q", name, email)
	}
	if _, other := AnonymousPerson(43); other == email {
		t.Error("two people share an address")
	}
}
