package beheer

import (
	"slices"
	"testing"
)

func TestAlertSettings(t *testing.T) {
	s := AlertSettings{AlertTaskOverdue: false, AlertNewRequest: true}
	if !s.On(AlertNewRequest) || s.On(AlertTaskOverdue) || !s.On(AlertEscalationClosed) {
		t.Error("an alert not named is on; a named one as set")
	}
	for _, c := range []struct {
		who  string
		area int64
		want result
	}{
		{"functional_admin/own_area", areaOwn, allowed},
		{"functional_admin/unscoped", areaOther, allowed},
		{"functional_admin/other_area", areaOwn, forbidden("alert.forbidden")},
		{"key_user/own_area", areaOwn, forbidden("alert.forbidden")},
		{"functional_admin/unscoped", 0, forbidden("alert.forbidden")},
	} {
		expect(t, "", CheckAlertSettings(personNamed(t, c.who).actor, c.area, AlertSettings{AlertNewRequest: false}), c.want)
	}
	expect(t, "", CheckAlertSettings(actor(idFunc, role(RoleFunctionalAdmin, 0)), areaOwn, AlertSettings{"nonsense": true}), invalid("nonsense"))
}

func TestAlertAudience(t *testing.T) {
	admins, followers := []int64{22, 23}, []int64{20}
	for _, c := range []struct {
		al       Alert
		assignee int64
		want     []int64
	}{
		{AlertNewRequest, 0, []int64{22, 23, 20}},
		{AlertNewRequest, 11, []int64{22, 23, 20}},
		{AlertEscalationClosed, 11, []int64{11}},
		{AlertEscalationClosed, 0, []int64{22, 23}},
		{AlertVendorReturned, 11, []int64{11}},
		{AlertTaskOverdue, 0, []int64{22, 23}},
	} {
		if got := AlertAudience(c.al, c.assignee, admins, followers); !slices.Equal(got, c.want) {
			t.Errorf("%s assignee %d: %v, want %v", c.al, c.assignee, got, c.want)
		}
	}
}
