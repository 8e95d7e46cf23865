package beheer

import (
	"errors"
	"testing"
	"time"
)

// TestOneLine: every kind of line break becomes one space, a CR LF pair
// too; a text without one comes back as it is.
func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Verlof aanvragen", "Verlof aanvragen"},
		{"Verlof\naanvragen", "Verlof aanvragen"},
		{"Verlof\r\naanvragen", "Verlof aanvragen"},
		{"Verlof\raanvragen", "Verlof aanvragen"},
		{"Verlof\n\naanvragen", "Verlof  aanvragen"},
		{"Verlof\u2028aanvragen\u2029nu", "Verlof aanvragen nu"},
		{"Verlof\u0085aanvragen", "Verlof aanvragen"},
		{"Verlof\vaan\fvragen", "Verlof aan vragen"},
		{"tab\tblijft", "tab\tblijft"},
		{"\nVoor en na\n", " Voor en na "},
	}
	for _, tt := range tests {
		if got := OneLine(tt.in); got != tt.want {
			t.Errorf("OneLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTitlesOneLine is the table of every field that names something: a
// line break of any kind inside it is refused with field.single_line, on
// that field alone, and the same text on one line passes. The texts that
// are written over several lines (descriptions, notes, bodies) keep their
// line breaks.
func TestTitlesOneLine(t *testing.T) {
	fa := actor(idFunc, role(RoleFunctionalAdmin, 0))
	year := testNow.Year()
	day := time.Date(year, 4, 8, 0, 0, 0, 0, time.UTC)
	fields := []struct {
		name, field string
		check       func(s string) error
	}{
		{"request/title", "title", func(s string) error {
			return (&NewRequest{Type: TypeQuestion, Title: s, Description: "regel 1\nregel 2"}).Validate()
		}},
		{"request_patch/title", "title", func(s string) error {
			return CheckPatch(fa, request(), Facts{}, &Patch{Title: &s, Description: ptr("regel 1\r\nregel 2")})
		}},
		{"task/title", "title", func(s string) error {
			return CheckTask(fa, request(), Facts{}, NewTask{Title: s, Description: "regel 1\nregel 2"})
		}},
		{"escalation/reference", "reference", func(s string) error {
			return CheckEscalation(fa, request(), Facts{}, NewEscalation{Channel: ChannelConsultancy, Reference: s, Note: "a\nb"}, DefaultPolicy(), false)
		}},
		{"release/name", "name", func(s string) error { return (&ReleaseInput{Name: s}).Validate() }},
		{"release/version_label", "version_label", func(s string) error {
			return (&ReleaseInput{Name: "Update", VersionLabel: s}).Validate()
		}},
		{"release_check/title", "title", func(s string) error {
			return (&ReleaseCheckInput{Kind: CheckKinds[0], Title: s}).Validate()
		}},
		{"publication/title", "title", func(s string) error {
			in := article(func(in *PublicationInput) { in.Title, in.Body = s, "alinea 1\n\nalinea 2" })
			return in.Validate(testNow)
		}},
		{"plan_objective/title", "title", func(s string) error {
			return (&ObjectiveInput{Title: s, Target: "90% via InSite", Description: "a\nb"}).Validate()
		}},
		{"plan_activity/title", "title", func(s string) error {
			return (&ActivityInput{Title: s, StartsOn: day, Description: "a\nb"}).Validate(year)
		}},
		{"plan_input/title", "title", func(s string) error { return (&InputInput{Title: s, Description: "a\nb"}).Validate() }},
		{"register/name", "name", func(s string) error {
			in := integrationInput(func(in *RegisterInput) { in.Name, in.Description = s, "a\nb" })
			return in.Validate(testNow)
		}},
		{"register/other_system", "other_system", func(s string) error {
			in := integrationInput(func(in *RegisterInput) { in.OtherSystem = s })
			return in.Validate(testNow)
		}},
		{"register/technique", "technique", func(s string) error {
			in := integrationInput(func(in *RegisterInput) { in.Technique = s })
			return in.Validate(testNow)
		}},
		{"register/maintainer", "maintainer", func(s string) error {
			in := integrationInput(func(in *RegisterInput) { in.Maintainer = s })
			return in.Validate(testNow)
		}},
		{"contact/name", "name", func(s string) error {
			return (&ContactInput{Channel: ChannelSupport, Name: s}).Validate()
		}},
		{"contact/organisation", "organisation", func(s string) error {
			return (&ContactInput{Channel: ChannelSupport, Name: "AFAS Support", Organisation: s}).Validate()
		}},
		{"person/name", "name", func(s string) error { return (&NewUser{Email: "anna@voorbeeld.nl", Name: s}).Validate() }},
		{"area/name", "name", func(s string) error { return (&AreaInput{Code: "hr", Name: s, Description: "a\nb"}).Validate() }},
		{"area/code", "code", func(s string) error { return (&AreaInput{Code: s, Name: "HR"}).Validate() }},
		{"process/name", "name", func(s string) error { return (&ProcessInput{AreaID: 1, Name: s}).Validate() }},
		{"token/name", "name", func(s string) error {
			_, err := (&NewToken{Name: s}).Expiry(DefaultPolicy(), testNow)
			return err
		}},
		{"settings/organisation_name", "organisation_name", func(s string) error {
			var v Validation
			AccountSettings{TokenDefaultDays: 1, TokenMaxDays: 1, OrganisationName: s}.Check(&v)
			return v.Err()
		}},
		{"saved_view/name", "name", func(s string) error { return (&SavedView{Name: s}).Validate() }},
		{"webhook/description", "description", func(s string) error {
			return (&NewWebhook{URL: "https://zaak.voorbeeld.nl/hook", Events: []string{"request.filed"}, Description: s}).Validate()
		}},
	}
	breaks := map[string]string{"LF": "\n", "CR": "\r", "CRLF": "\r\n", "NEL": "\u0085", "LS": "\u2028", "PS": "\u2029"}
	for _, f := range fields {
		t.Run(f.name+"/one_line", func(t *testing.T) {
			if err := f.check("Declaraties"); err != nil {
				t.Fatalf("one line refused: %v", err)
			}
		})
		for name, br := range breaks {
			t.Run(f.name+"/"+name, func(t *testing.T) {
				var e *Error
				if err := f.check("Declaraties" + br + "indienen"); !errors.As(err, &e) || len(e.Fields) != 1 ||
					e.Fields[0].Field != f.field || e.Fields[0].Key != "field.single_line" {
					t.Fatalf("got %v, want field.single_line on %s alone", err, f.field)
				}
			})
		}
	}
}

// TestLines: every kind of line break becomes \n, and texts that differ only
// in their breaks are the same text.
func TestLines(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "een regel", "een regel"},
		{"lf_kept", "een\ntwee", "een\ntwee"},
		{"crlf_from_a_form", "een\r\ntwee\r\n\r\ndrie", "een\ntwee\n\ndrie"},
		{"lone_cr_from_old_mail", "een\rtwee", "een\ntwee"},
		{"mixed", "a\r\nb\rc\nd", "a\nb\nc\nd"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Lines(tt.in); got != tt.want {
				t.Errorf("Lines(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if !SameText(tt.in, tt.want) {
				t.Errorf("SameText(%q, %q) = false", tt.in, tt.want)
			}
		})
	}
	if SameText("een\r\ntwee", "een\r\ndrie") {
		t.Error("different texts are the same")
	}
}

// TestPatchClean: a patch's title and description get one kind of line
// break; fields not in the patch stay nil.
func TestPatchClean(t *testing.T) {
	d := "regel 1\r\nregel 2"
	p := Patch{Description: &d}
	p.Clean()
	if *p.Description != "regel 1\nregel 2" || p.Title != nil {
		t.Errorf("cleaned patch: %q, title %v", *p.Description, p.Title)
	}
	n := NewRequest{Title: "titel", Description: "a\r\nb"}
	n.Clean()
	if n.Description != "a\nb" {
		t.Errorf("cleaned request: %q", n.Description)
	}
}
