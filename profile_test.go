package beheer

import (
	"fmt"
	"strings"
	"testing"
)

// TestContactInputValidate: a contact needs a known channel and a name; an
// e-mail address is bare, a telephone number digits and + - ( ).
func TestContactInputValidate(t *testing.T) {
	ok := ContactInput{Channel: ChannelSystemIntegrator, Name: "Sanne de Boer", Organisation: "Koppelwerk",
		Email: "support@koppelwerk.example", Phone: "+31 (30) 123-4567", MaySubmitSupportIncidents: true}
	with := func(f func(*ContactInput)) ContactInput { in := ok; f(&in); return in }
	tests := []struct {
		name string
		in   ContactInput
		want result
	}{
		{"complete", ok, allowed},
		{"name_only", ContactInput{Channel: ChannelSupport, Name: "AFAS Support"}, allowed},
		{"email_uppercase", with(func(in *ContactInput) { in.Email = " Support@Koppelwerk.Example " }), allowed},
		{"phone_40", with(func(in *ContactInput) { in.Phone = strings.Repeat("1", maxPhone) }), allowed},
		{"unknown_channel", with(func(in *ContactInput) { in.Channel = "fax" }), invalid("channel")},
		{"no_name", with(func(in *ContactInput) { in.Name = "  " }), invalid("name")},
		{"name_too_long", with(func(in *ContactInput) { in.Name = strings.Repeat("n", MaxName+1) }), invalid("name")},
		{"organisation_too_long", with(func(in *ContactInput) { in.Organisation = strings.Repeat("o", MaxName+1) }), invalid("organisation")},
		{"email_with_name", with(func(in *ContactInput) { in.Email = "Sanne <sanne@koppelwerk.example>" }), invalid("email")},
		{"email_no_at", with(func(in *ContactInput) { in.Email = "sanne" }), invalid("email")},
		{"phone_letters", with(func(in *ContactInput) { in.Phone = "030-BELLEN" }), invalid("phone")},
		{"phone_too_long", with(func(in *ContactInput) { in.Phone = strings.Repeat("1", maxPhone+1) }), invalid("phone")},
		{"everything_wrong", ContactInput{Channel: "fax", Email: "x", Phone: "?"}, invalid("channel", "name", "email", "phone")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			expect(t, "", in.Validate(), tt.want)
		})
	}
	t.Run("trimmed", func(t *testing.T) {
		in := ContactInput{Channel: ChannelSupport, Name: " AFAS ", Organisation: " AFAS Software ", Email: " Info@AFAS.nl ", Phone: " 035 "}
		if err := in.Validate(); err != nil {
			t.Fatal(err)
		}
		if in.Name != "AFAS" || in.Organisation != "AFAS Software" || in.Email != "info@afas.nl" || in.Phone != "035" {
			t.Errorf("after Validate: %+v", in)
		}
	})
}

// TestCheckKeepProfile: whoever may not keep the contacts is told who may.
func TestCheckKeepProfile(t *testing.T) {
	expect(t, "", CheckKeepProfile(actor(idFunc, role(RoleFunctionalAdmin, 0))), allowed)
	expect(t, "", CheckKeepProfile(actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn))), forbidden("profile.forbidden"))
	expect(t, "", CheckKeepProfile(nil), forbidden("profile.forbidden"))
}

// TestProfileGroups: the holders of a role and the contacts of a channel,
// in the order the profile has them.
func TestProfileGroups(t *testing.T) {
	p := &Profile{
		Holders: []RoleHolder{{UserID: 1, Role: RoleKeyUser}, {UserID: 2, Role: RoleTechnicalAdmin},
			{UserID: 3, Role: RoleKeyUser, AreaID: areaOwn}},
		Contacts: []ChannelContact{{ID: 1, Channel: ChannelSupport}, {ID: 2, Channel: ChannelSystemIntegrator},
			{ID: 3, Channel: ChannelSupport}},
	}
	var holders, contacts []int64
	for _, h := range p.HoldersOf(RoleKeyUser) {
		holders = append(holders, h.UserID)
	}
	for _, c := range p.ContactsOf(ChannelSupport) {
		contacts = append(contacts, c.ID)
	}
	if fmt.Sprint(holders) != "[1 3]" || fmt.Sprint(contacts) != "[1 3]" {
		t.Errorf("HoldersOf = %v, ContactsOf = %v", holders, contacts)
	}
	if len(p.HoldersOf(RoleManagement)) != 0 || len(p.ContactsOf(ChannelConsultancy)) != 0 {
		t.Error("an empty group is not empty")
	}
}
