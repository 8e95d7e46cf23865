package beheer

import (
	"reflect"
	"testing"
)

func TestParseRoleMap(t *testing.T) {
	areas := map[string]int64{"hr": 7, "financieel": 9}
	byCode := func(code string) (int64, bool) { id, ok := areas[code]; return id, ok }
	fa := Assignment{Role: RoleFunctionalAdmin}
	for _, tc := range []struct {
		in   string
		want map[string][]Assignment
		bad  bool
	}{
		{in: "", want: map[string][]Assignment{}},
		{in: " ; ", want: map[string][]Assignment{}},
		{in: "beheer-functioneel=functional_admin", want: map[string][]Assignment{"beheer-functioneel": {fa}}},
		{in: "beheer-functioneel=functional_admin;beheer-hr=key_user:hr", want: map[string][]Assignment{
			"beheer-functioneel": {fa}, "beheer-hr": {{Role: RoleKeyUser, AreaID: 7}}}},
		{in: " fin = key_user:financieel , technical_admin:financieel \n directie=management;medewerkers=user",
			want: map[string][]Assignment{
				"fin":         {{Role: RoleKeyUser, AreaID: 9}, {Role: RoleTechnicalAdmin, AreaID: 9}},
				"directie":    {{Role: RoleManagement}},
				"medewerkers": {{Role: RoleUser}}}},
		{in: "a=functional_admin;a=functional_admin,management", want: map[string][]Assignment{
			"a": {fa, {Role: RoleManagement}}}},
		{in: "CN=Beheer,OU=Groepen=functional_admin", want: map[string][]Assignment{
			"CN=Beheer,OU=Groepen": {fa}}},
		{in: "beheer-functioneel", bad: true},
		{in: "=functional_admin", bad: true},
		{in: "a=", bad: true},
		{in: "a=superuser", bad: true},
		{in: "a=management:hr", bad: true},
		{in: "a=key_user:onbekend", bad: true},
		{in: "a=functional_admin,,", bad: true},
	} {
		got, err := ParseRoleMap(tc.in, byCode)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseRoleMap(%q) = %v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseRoleMap(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}
