package beheer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// regToday is the day of the register's rule tests.
var regToday = day(2026, 3, 10)

// TestRegisterWho is the truth table of who reads and who keeps the
// technical register.
func TestRegisterWho(t *testing.T) {
	tests := []struct {
		name       string
		a          *Actor
		read, keep bool
	}{
		{"user", actor(idPlainUser), false, false},
		{"key_user/own_area", actor(idKeyUser, role(RoleKeyUser, areaOwn)), false, false},
		{"functional_admin/unscoped", actor(idFunc, role(RoleFunctionalAdmin, 0)), true, true},
		{"functional_admin/own_area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), true, false},
		{"technical_admin/unscoped", actor(idTech, role(RoleTechnicalAdmin, 0)), true, true},
		{"technical_admin/own_area", actor(idTech, role(RoleTechnicalAdmin, areaOwn)), true, true},
		{"management", actor(idManagement, role(RoleManagement, 0)), true, false},
		{"nil", nil, false, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/read=%v,keep=%v", tt.name, tt.read, tt.keep), func(t *testing.T) {
			if got := CanReadRegister(tt.a); got != tt.read {
				t.Errorf("CanReadRegister = %v, want %v", got, tt.read)
			}
			if got := CanKeepRegister(tt.a); got != tt.keep {
				t.Errorf("CanKeepRegister = %v, want %v", got, tt.keep)
			}
		})
	}
}

// integrationInput, identityInput and mailInput are valid entries of each
// kind; opts change them.
func integrationInput(opts ...func(*RegisterInput)) RegisterInput {
	in := RegisterInput{Kind: RegisterKindIntegration, Name: "AFAS → Visma Raet", Status: RegisterActive, OwnerID: idTech,
		Direction: DirectionOutbound, OtherSystem: "Visma Raet", Technique: "AFAS GetConnector via REST",
		Maintainer: "Koppelpartner BV", Description: "Salarismutaties **dagelijks** om 06:00."}
	for _, o := range opts {
		o(&in)
	}
	return in
}

func identityInput(opts ...func(*RegisterInput)) RegisterInput {
	in := RegisterInput{Kind: RegisterKindIdentityProvider, Name: "Entra ID", Status: RegisterActive, OwnerID: idTech,
		Protocol: ProtocolOIDC, IssuerURL: "https://login.microsoftonline.com/x/v2.0", ClientIDs: "6f1c2d3e-4b5a"}
	for _, o := range opts {
		o(&in)
	}
	return in
}

func mailInput(opts ...func(*RegisterInput)) RegisterInput {
	in := RegisterInput{Kind: RegisterKindMailServer, Name: "SMTP relay", Status: RegisterActive, OwnerID: idTech,
		Host: "mail.voorbeeld.nl", Port: 587, TLSMode: TLSStartTLS, Sender: "noreply@voorbeeld.nl"}
	for _, o := range opts {
		o(&in)
	}
	return in
}

// TestRegisterInputValidate: every kind's own fields are checked, and
// every invalid field is named.
func TestRegisterInputValidate(t *testing.T) {
	long := strings.Repeat("x", MaxName+1)
	ids := strings.TrimSpace(strings.Repeat("id ", maxClientIDs+1))
	tests := []struct {
		name string
		in   RegisterInput
		want result
	}{
		{"integration", integrationInput(), allowed},
		{"identity_provider", identityInput(), allowed},
		{"identity_provider/saml_entity_id", identityInput(func(in *RegisterInput) {
			in.Protocol, in.ClientIDs = ProtocolSAML, "https://beheer.voorbeeld.nl/saml/metadata"
		}), allowed},
		{"mail_server", mailInput(), allowed},
		{"mail_server/no_sender", mailInput(func(in *RegisterInput) { in.Sender = "" }), allowed},
		{"mail_server/uppercase_host", mailInput(func(in *RegisterInput) { in.Host = " Mail.Voorbeeld.NL " }), allowed},
		{"review_months/default", integrationInput(func(in *RegisterInput) { in.ReviewMonths = 0 }), allowed},
		{"review_months/max", integrationInput(func(in *RegisterInput) { in.ReviewMonths = MaxReviewMonths }), allowed},
		{"last_review/today", integrationInput(func(in *RegisterInput) { in.LastReviewedOn = regToday }), allowed},
		{"other_kind_fields_ignored", integrationInput(func(in *RegisterInput) { in.Port, in.ClientIDs = -1, "secret" }), allowed},

		{"integration/everything_wrong", RegisterInput{Kind: RegisterKindIntegration, Status: "unknown", Direction: "sideways",
			ReviewMonths: 99, LastReviewedOn: regToday.AddDate(0, 0, 3)},
			invalid("name", "status", "owner", "direction", "other_system", "review_months", "last_reviewed_on")},
		{"unknown_kind", RegisterInput{Kind: "printer", Name: "x", Status: RegisterActive, OwnerID: idTech}, invalid("kind")},
		{"blank_name", integrationInput(func(in *RegisterInput) { in.Name = "  " }), invalid("name")},
		{"name_too_long", integrationInput(func(in *RegisterInput) { in.Name = long }), invalid("name")},
		{"description_too_long", integrationInput(func(in *RegisterInput) { in.Description = strings.Repeat("d", MaxDescription+1) }), invalid("description")},
		{"review_months/negative", integrationInput(func(in *RegisterInput) { in.ReviewMonths = -1 }), invalid("review_months")},
		{"review_months/too_many", integrationInput(func(in *RegisterInput) { in.ReviewMonths = MaxReviewMonths + 1 }), invalid("review_months")},
		{"integration/technique_too_long", integrationInput(func(in *RegisterInput) { in.Technique = long }), invalid("technique")},
		{"integration/maintainer_too_long", integrationInput(func(in *RegisterInput) { in.Maintainer = long }), invalid("maintainer")},
		{"integration/negative_contact", integrationInput(func(in *RegisterInput) { in.MaintainerContactID = -1 }), invalid("maintainer_contact")},

		{"identity_provider/everything_wrong", identityInput(func(in *RegisterInput) {
			in.Protocol, in.IssuerURL, in.ClientIDs = "kerberos", "ftp://login.example", "abc client_secret=xyz"
		}), invalid("protocol", "issuer_url", "client_ids")},
		{"identity_provider/no_issuer", identityInput(func(in *RegisterInput) { in.IssuerURL = "" }), invalid("issuer_url")},
		{"identity_provider/issuer_with_credentials", identityInput(func(in *RegisterInput) { in.IssuerURL = "https://u:p@login.example" }), invalid("issuer_url")},
		{"identity_provider/password", identityInput(func(in *RegisterInput) { in.ClientIDs = "abc Wachtwoord123" }), invalid("client_ids")},
		{"identity_provider/too_many_ids", identityInput(func(in *RegisterInput) { in.ClientIDs = ids }), invalid("client_ids")},
		{"identity_provider/bad_id", identityInput(func(in *RegisterInput) { in.ClientIDs = "a<b>" }), invalid("client_ids")},
		{"identity_provider/long_id", identityInput(func(in *RegisterInput) { in.ClientIDs = strings.Repeat("a", maxClientID+1) }), invalid("client_ids")},

		{"mail_server/everything_wrong", mailInput(func(in *RegisterInput) {
			in.Host, in.Port, in.TLSMode, in.Sender = "mail..voorbeeld.nl", 70000, "ssl3", "geen adres"
		}), invalid("host", "port", "tls_mode", "sender")},
		{"mail_server/no_host", mailInput(func(in *RegisterInput) { in.Host = "" }), invalid("host")},
		{"mail_server/host_with_dash_label", mailInput(func(in *RegisterInput) { in.Host = "-mail.voorbeeld.nl" }), invalid("host")},
		{"mail_server/no_port", mailInput(func(in *RegisterInput) { in.Port = 0 }), invalid("port")},
		{"mail_server/sender_with_name", mailInput(func(in *RegisterInput) { in.Sender = "Beheer <noreply@voorbeeld.nl>" }), invalid("sender")},
		{"mail_server/dns_notes_too_long", mailInput(func(in *RegisterInput) { in.DNSNotes = strings.Repeat("n", MaxNote+1) }), invalid("dns_notes")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			expect(t, "", in.Validate(regToday), tt.want)
		})
	}
}

// TestRegisterInputNormalise: texts are trimmed, the mail server's names
// lowercased, the fields of other kinds cleared and client ids put one a
// line.
func TestRegisterInputNormalise(t *testing.T) {
	tests := []struct {
		name string
		in   RegisterInput
		want RegisterInput
	}{
		{"integration", RegisterInput{Kind: RegisterKindIntegration, Name: " Koppeling ", Direction: DirectionInbound,
			OtherSystem: " Topdesk ", Protocol: ProtocolOIDC, IssuerURL: "https://x", Host: "Mail", Port: 25, TLSMode: TLSNone},
			RegisterInput{Kind: RegisterKindIntegration, Name: "Koppeling", Direction: DirectionInbound, OtherSystem: "Topdesk",
				ReviewMonths: DefaultReviewMonths}},
		{"identity_provider", RegisterInput{Kind: RegisterKindIdentityProvider, Protocol: ProtocolSAML, ClientIDs: " a, b;c\td\r\ne ",
			Direction: DirectionOutbound, MaintainerContactID: 4, ReviewMonths: 6},
			RegisterInput{Kind: RegisterKindIdentityProvider, Protocol: ProtocolSAML, ClientIDs: "a\nb\nc\nd\ne", ReviewMonths: 6}},
		{"mail_server", RegisterInput{Kind: RegisterKindMailServer, Host: " Mail.Voorbeeld.NL ", Sender: "NoReply@Voorbeeld.nl",
			Port: 587, TLSMode: TLSStartTLS, DNSNotes: " SPF \n", Maintainer: "x", ClientIDs: "y"},
			RegisterInput{Kind: RegisterKindMailServer, Host: "mail.voorbeeld.nl", Sender: "noreply@voorbeeld.nl", Port: 587,
				TLSMode: TLSStartTLS, DNSNotes: "SPF", ReviewMonths: DefaultReviewMonths}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in
			got.Normalise()
			if got != tt.want {
				t.Errorf("Normalise() = %+v, want %+v", got, tt.want)
			}
			again := got
			again.Normalise()
			if again != got {
				t.Errorf("Normalise is not idempotent: %+v, then %+v", got, again)
			}
		})
	}
}

// TestRegisterValidateWithRefs: an owner who is no active technical
// admin, an unknown area or contact is named; a field that is already
// wrong keeps its first message.
func TestRegisterValidateWithRefs(t *testing.T) {
	all := RegisterRefs{OwnerIsTechnicalAdmin: true, AreaExists: true, ContactExists: true}
	withRefs := integrationInput(func(in *RegisterInput) { in.AreaID, in.MaintainerContactID = areaOwn, 7 })
	tests := []struct {
		name string
		in   RegisterInput
		refs RegisterRefs
		want result
	}{
		{"all_hold", withRefs, all, allowed},
		{"no_area_no_contact/nothing_to_check", integrationInput(), RegisterRefs{OwnerIsTechnicalAdmin: true}, allowed},
		{"owner_not_technical", withRefs, RegisterRefs{AreaExists: true, ContactExists: true}, invalid("owner")},
		{"unknown_area", withRefs, RegisterRefs{OwnerIsTechnicalAdmin: true, ContactExists: true}, invalid("area")},
		{"unknown_contact", withRefs, RegisterRefs{OwnerIsTechnicalAdmin: true, AreaExists: true}, invalid("maintainer_contact")},
		{"none_hold", withRefs, RegisterRefs{}, invalid("owner", "area", "maintainer_contact")},
		{"no_owner/required_only", integrationInput(func(in *RegisterInput) { in.OwnerID = 0 }), RegisterRefs{}, invalid("owner")},
		{"negative_contact/named_once", integrationInput(func(in *RegisterInput) { in.MaintainerContactID = -1 }), all, invalid("maintainer_contact")},
		{"fields_and_refs", integrationInput(func(in *RegisterInput) { in.Name, in.AreaID = "", 9 }),
			RegisterRefs{OwnerIsTechnicalAdmin: true}, invalid("name", "area")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			err := in.ValidateWithRefs(regToday, tt.refs)
			expect(t, "", err, tt.want)
			if fields := resultOf(err).Fields; len(fields) != len(slices.Compact(sorted(fields))) {
				t.Errorf("a field is named twice: %v", fields)
			}
		})
	}
}

// TestNextReviewOn: the interval runs from the last review, else from the
// day the entry was made; a month later keeps the day where the month has
// it; a retired entry has no review.
func TestNextReviewOn(t *testing.T) {
	tests := []struct {
		name          string
		status        RegisterStatus
		months        int
		last, created time.Time
		want          time.Time
	}{
		{"from_created", RegisterActive, 6, time.Time{}, day(2026, 3, 10), day(2026, 9, 10)},
		{"from_last_review", RegisterActive, 6, day(2025, 8, 31), day(2026, 3, 10), day(2026, 2, 28)},
		{"leap_year", RegisterPlanned, 1, day(2024, 1, 31), time.Time{}, day(2024, 2, 29)},
		{"over_the_year", RegisterFailing, 1, day(2026, 12, 15), time.Time{}, day(2027, 1, 15)},
		{"five_years", RegisterActive, MaxReviewMonths, day(2024, 2, 29), time.Time{}, day(2029, 2, 28)},
		{"a_year", RegisterActive, 12, day(2026, 3, 10), time.Time{}, day(2027, 3, 10)},
		{"retired", RegisterRetired, 12, day(2026, 3, 10), day(2026, 1, 1), time.Time{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, tt.want.Format(DayLayout)), func(t *testing.T) {
			if got := NextReviewOn(tt.status, tt.months, tt.last, tt.created); !got.Equal(tt.want) {
				t.Errorf("NextReviewOn = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRegisterReviewDue: how many days until the review, and whether the
// sweep raises it today.
func TestRegisterReviewDue(t *testing.T) {
	tests := []struct {
		name   string
		status RegisterStatus
		next   time.Time
		days   int
		ok     bool
		due    bool
	}{
		{"overdue", RegisterActive, day(2026, 2, 28), -10, true, true},
		{"today", RegisterFailing, regToday, 0, true, true},
		{"tomorrow", RegisterActive, day(2026, 3, 11), 1, true, false},
		{"next_year", RegisterPlanned, day(2027, 3, 10), 365, true, false},
		{"no_review", RegisterActive, time.Time{}, 0, false, false},
		{"retired", RegisterRetired, time.Time{}, 0, false, false},
		{"retired_with_stale_day", RegisterRetired, day(2026, 1, 1), -68, true, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/days=%d,due=%v", tt.name, tt.days, tt.due), func(t *testing.T) {
			e := &RegisterEntry{Status: tt.status, NextReviewOn: tt.next}
			if days, ok := e.DaysUntilReview(regToday); days != tt.days || ok != tt.ok {
				t.Errorf("DaysUntilReview = %d, %v; want %d, %v", days, ok, tt.days, tt.ok)
			}
			if got := e.DueForReview(regToday); got != tt.due {
				t.Errorf("DueForReview = %v, want %v", got, tt.due)
			}
		})
	}
}

// TestRegisterCheckReview: a change or review needs the entry's current
// version (0: any); a retired entry takes no review.
func TestRegisterCheckReview(t *testing.T) {
	tests := []struct {
		name           string
		status         RegisterStatus
		version        int64
		change, review result
	}{
		{"current_version", RegisterActive, 3, allowed, allowed},
		{"any_version", RegisterActive, 0, allowed, allowed},
		{"stale", RegisterActive, 2, result{Code: CodePreconditionFailed, Key: "register.stale"}, result{Code: CodePreconditionFailed, Key: "register.stale"}},
		{"retired", RegisterRetired, 3, allowed, conflict("register.retired")},
		{"retired/stale", RegisterRetired, 4, result{Code: CodePreconditionFailed, Key: "register.stale"}, result{Code: CodePreconditionFailed, Key: "register.stale"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/change=%s,review=%s", tt.name, outcomeName(tt.change), outcomeName(tt.review)), func(t *testing.T) {
			e := &RegisterEntry{Status: tt.status, Version: 3}
			expect(t, "", e.CheckVersion(tt.version), tt.change)
			expect(t, "", e.CheckReview(tt.version), tt.review)
		})
	}
}

// TestRegisterReviewed: a review moves the last review to its day and the
// next one an interval on; a review of an earlier day moves nothing back.
func TestRegisterReviewed(t *testing.T) {
	tests := []struct {
		name       string
		last, on   time.Time
		months     int
		wantLast   time.Time
		wantNextOn time.Time
	}{
		{"first_review", time.Time{}, regToday, 12, regToday, day(2027, 3, 10)},
		{"later_review", day(2025, 3, 1), regToday, 6, regToday, day(2026, 9, 10)},
		{"earlier_day", day(2026, 3, 1), day(2026, 2, 1), 6, day(2026, 3, 1), day(2026, 9, 1)},
		{"same_day", regToday, regToday, 1, regToday, day(2026, 4, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &RegisterEntry{Status: RegisterActive, ReviewMonths: tt.months, LastReviewedOn: tt.last}
			last, next := e.Reviewed(tt.on)
			if !last.Equal(tt.wantLast) || !next.Equal(tt.wantNextOn) {
				t.Errorf("Reviewed = %v, %v; want %v, %v", last, next, tt.wantLast, tt.wantNextOn)
			}
		})
	}
}

// TestRegisterReviewInputValidate: a review needs a note and no future
// day; without a day it is today's.
func TestRegisterReviewInputValidate(t *testing.T) {
	tests := []struct {
		name   string
		in     RegisterReviewInput
		want   result
		wantOn time.Time
	}{
		{"today_by_default", RegisterReviewInput{Note: " Mapping gecontroleerd "}, allowed, regToday},
		{"earlier_day", RegisterReviewInput{Note: "ok", ReviewedOn: day(2026, 1, 5)}, allowed, day(2026, 1, 5)},
		{"no_note", RegisterReviewInput{Note: "  "}, invalid("note"), regToday},
		{"note_too_long", RegisterReviewInput{Note: strings.Repeat("n", MaxNote+1)}, invalid("note"), regToday},
		{"future", RegisterReviewInput{Note: "ok", ReviewedOn: day(2026, 3, 11)}, invalid("reviewed_on"), day(2026, 3, 11)},
		{"no_note+future", RegisterReviewInput{ReviewedOn: day(2026, 4, 1)}, invalid("note", "reviewed_on"), day(2026, 4, 1)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			expect(t, "", in.Validate(regToday), tt.want)
			if !in.ReviewedOn.Equal(tt.wantOn) || in.Note != strings.TrimSpace(tt.in.Note) {
				t.Errorf("after Validate: %+v", in)
			}
		})
	}
}

// TestRegisterEntryViews: the maintainer shown, the client ids listed and
// the input to edit an entry.
func TestRegisterEntryViews(t *testing.T) {
	e := &RegisterEntry{Kind: RegisterKindIntegration, Name: "Koppeling", Maintainer: "Vrije tekst", ClientIDs: "a\nb",
		ReviewMonths: 6, LastReviewedOn: regToday, Version: 2}
	if got := e.MaintainerName(); got != "Vrije tekst" {
		t.Errorf("MaintainerName without a contact = %q", got)
	}
	e.MaintainerContact = "Sanne (Koppelpartner BV)"
	if got := e.MaintainerName(); got != "Sanne (Koppelpartner BV)" {
		t.Errorf("MaintainerName with a contact = %q", got)
	}
	if got := e.ClientIDList(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("ClientIDList = %v", got)
	}
	in := e.Input()
	if in.Kind != e.Kind || in.Name != e.Name || in.Maintainer != e.Maintainer || in.ReviewMonths != 6 || !in.LastReviewedOn.Equal(regToday) {
		t.Errorf("Input = %+v", in)
	}
}

// TestMaintainerChoices: system integrators first, each group in the order
// given.
func TestMaintainerChoices(t *testing.T) {
	in := []ChannelContact{{ID: 1, Channel: ChannelSupport}, {ID: 2, Channel: ChannelSystemIntegrator},
		{ID: 3, Channel: ChannelConsultancy}, {ID: 4, Channel: ChannelSystemIntegrator}}
	var got []int64
	for _, c := range MaintainerChoices(in) {
		got = append(got, c.ID)
	}
	if want := []int64{2, 4, 1, 3}; !slices.Equal(got, want) {
		t.Errorf("MaintainerChoices = %v, want %v", got, want)
	}
	if MaintainerChoices(nil) != nil {
		t.Error("MaintainerChoices(nil) is not empty")
	}
}

// TestRegisterChoicesValid: each list's members are valid and nothing
// else is.
func TestRegisterChoicesValid(t *testing.T) {
	tests := []struct {
		name    string
		choices []string
		valid   func(string) bool
		unknown string
	}{
		{"kind", codes(RegisterKinds), func(s string) bool { return RegisterKind(s).Valid() }, "printer"},
		{"status", codes(RegisterStatuses), func(s string) bool { return RegisterStatus(s).Valid() }, "gone"},
		{"direction", codes(RegisterDirections), func(s string) bool { return RegisterDirection(s).Valid() }, "sideways"},
		{"protocol", codes(SSOProtocols), func(s string) bool { return SSOProtocol(s).Valid() }, "kerberos"},
		{"tls_mode", codes(TLSModes), func(s string) bool { return TLSMode(s).Valid() }, "ssl3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range tt.choices {
				if !tt.valid(c) {
					t.Errorf("%s is not valid", c)
				}
			}
			if tt.valid(tt.unknown) || tt.valid("") {
				t.Errorf("%q or the empty code is valid", tt.unknown)
			}
		})
	}
}

func codes[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
