package beheer

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestOrganisationInputValidate: a name, nl or en, a zone of the list, and
// a logo that is a PNG or JPEG image, never an SVG.
func TestOrganisationInputValidate(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	tests := []struct {
		name string
		in   OrganisationInput
		want result
		typ  string
	}{
		{"name_only", OrganisationInput{Name: "Gemeente Voorbeeld"}, allowed, ""},
		{"png", OrganisationInput{Name: "X", Logo: &Upload{Name: "logo.png", Data: png}}, allowed, "image/png"},
		{"jpeg", OrganisationInput{Name: "X", Logo: &Upload{Name: "logo.jpg", Data: jpeg}}, allowed, "image/jpeg"},
		{"svg", OrganisationInput{Name: "X", Logo: &Upload{Name: "logo.svg", Data: svg}}, invalid("logo"), ""},
		{"svg_named_png", OrganisationInput{Name: "X", Logo: &Upload{Name: "logo.png", Data: svg}}, invalid("logo"), ""},
		{"pdf", OrganisationInput{Name: "X", Logo: &Upload{Name: "logo.pdf", Data: []byte("%PDF-1.4")}}, invalid("logo"), ""},
		{"too_big", OrganisationInput{Name: "X", Logo: &Upload{Name: "logo.png", Data: append(png, make([]byte, MaxLogo)...)}}, invalid("logo"), ""},
		{"no_name", OrganisationInput{Name: " "}, invalid("name"), ""},
		{"bad_lang_zone", OrganisationInput{Name: "X", Lang: "de", Zone: "Europe/Paris"}, invalid("lang", "time_zone"), ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			in := tt.in
			typ, err := in.Validate()
			expect(t, "", err, tt.want)
			if typ != tt.typ || (err == nil && (in.Lang != "nl" && tt.in.Lang == "" || in.Zone == "")) {
				t.Errorf("type %q lang %q zone %q", typ, in.Lang, in.Zone)
			}
		})
	}
}

// TestValidateSetup: the organisation's and the first admin's fields are
// told apart.
func TestValidateSetup(t *testing.T) {
	in := OrganisationInput{}
	_, nu, err := ValidateSetup(&in, FirstAdmin{Email: "x"})
	expect(t, "", err, invalid("org_name", "admin_name", "admin_email"))
	in = OrganisationInput{Name: "De Linde", Lang: "en"}
	_, nu, err = ValidateSetup(&in, FirstAdmin{Name: "Fleur", Email: "Fleur@DeLinde.nl"})
	if err != nil || nu.Email != "fleur@delinde.nl" || nu.Lang != "en" || len(nu.Roles) != 1 || nu.Roles[0] != (Assignment{Role: RoleFunctionalAdmin}) {
		t.Fatalf("first admin %+v %v", nu, err)
	}
}

// TestCheckSetupLink: a link opens the setup once, before it expires and
// while no organisation exists; each refusal says why.
func TestCheckSetupLink(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	fresh := SetupLink{Found: true, ExpiresAt: now.Add(time.Hour)}
	used := SetupLink{Found: true, ExpiresAt: now.Add(time.Hour), UsedAt: now.Add(-time.Minute)}
	tests := []struct {
		name string
		l    SetupLink
		org  bool
		want result
	}{
		{"fresh", fresh, false, allowed},
		{"used", used, true, conflict("setup.link_used")},
		{"expired", SetupLink{Found: true, ExpiresAt: now}, false, conflict("setup.link_expired")},
		{"unknown", SetupLink{}, false, notFound()},
		{"organisation_exists", fresh, true, notFound()},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", CheckSetupLink(tt.l, tt.org, now), tt.want)
		})
	}
}

// TestSetupChecklist: each step ticks itself from the facts; a step marked
// not applicable counts as finished unless its data exists, then it is
// done.
func TestSetupChecklist(t *testing.T) {
	tests := []struct {
		name     string
		f        SetupFacts
		na       map[SetupItem]bool
		done     string // the steps done, by first letters
		finished bool
	}{
		{"nothing", SetupFacts{}, nil, "", false},
		{"area_without_process", SetupFacts{Areas: 1}, nil, "", false},
		{"area_with_process", SetupFacts{Areas: 1, AreasWithProcess: 1}, nil, "areas", false},
		{"people_need_a_key_user", SetupFacts{People: 3}, nil, "", false},
		{"channels_need_a_submitter", SetupFacts{ChannelsFilled: 2}, nil, "", false},
		{"everything", SetupFacts{Areas: 1, AreasWithProcess: 1, ProcessesOwned: 1, People: 2, KeyUsers: 1, ChannelsFilled: 1,
			SupportNamed: true, ServiceLevels: true, SignOn: true, Mail: true}, nil,
			"areas processes people channels service_levels sign_on mail", true},
		{"rest_not_applicable", SetupFacts{Areas: 1, AreasWithProcess: 1, ProcessesOwned: 1, People: 2, KeyUsers: 1, ChannelsFilled: 1,
			SupportNamed: true, ServiceLevels: true}, map[SetupItem]bool{SetupSignOn: true, SetupMail: true, SetupAreas: true},
			"areas processes people channels service_levels", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := SetupChecklist(tt.f, tt.na)
			var done []string
			for _, s := range steps {
				if s.Done {
					done = append(done, string(s.Item))
					if s.NotApplicable {
						t.Errorf("%s both done and not applicable", s.Item)
					}
				}
				if s.Path == "" {
					t.Errorf("%s has no page", s.Item)
				}
			}
			if got := strings.Join(done, " "); got != tt.done || SetupFinished(steps) != tt.finished {
				t.Errorf("done %q finished %v, want %q %v", got, SetupFinished(steps), tt.done, tt.finished)
			}
		})
	}
}
