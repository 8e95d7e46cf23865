package beheer

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func fptr(f float64) *float64 { return &f }

// testFields is an authorisation form: for whom, environment, role
// group(s), from/until, a number, and a reason shown only for production.
func testFields() []FormField {
	return []FormField{
		{Name: "voor_wie", Kind: FieldPerson, Label: Texts{NL: "Voor wie"}, Required: true},
		{Name: "omgeving", Kind: FieldChoice, Label: Texts{NL: "Omgeving"}, Required: true, Default: "test",
			Choices: []Choice{{Value: "productie"}, {Value: "test"}}},
		{Name: "groepen", Kind: FieldMulti, Label: Texts{NL: "Autorisatiegroepen"},
			Choices: []Choice{{Value: "hrm"}, {Value: "salaris"}}},
		{Name: "vanaf", Kind: FieldDate, Label: Texts{NL: "Vanaf"}, Required: true},
		{Name: "uren", Kind: FieldNumber, Label: Texts{NL: "Uren"}, Min: fptr(0), Max: fptr(40)},
		{Name: "reden", Kind: FieldLongText, Label: Texts{NL: "Reden"}, Required: true,
			ShowIf: &Condition{Field: "omgeving", Value: "productie"}},
		{Name: "spoed", Kind: FieldYesNo, Label: Texts{NL: "Spoed"}},
		{Name: "plek", Kind: FieldPlace, Label: Texts{NL: "Gebied"}},
		{Name: "bijlage", Kind: FieldAttachment, Label: Texts{NL: "Formulier"}},
	}
}

var testLookup = AnswerLookup{
	Person: func(id int64) bool { return id == 7 },
	Place:  func(a, p int64) bool { return a == 1 && (p == 0 || p == 2) },
	Files:  []string{"formulier.pdf"},
}

// TestCheckAnswers is the truth table of answer validation: every kind's
// good and bad values, required fields, defaults and conditional fields.
func TestCheckAnswers(t *testing.T) {
	base := func(extra map[string][]string) map[string][]string {
		in := map[string][]string{"voor_wie": {"7"}, "vanaf": {"2026-03-01"}}
		for k, v := range extra {
			in[k] = v
		}
		return in
	}
	tests := []struct {
		name    string
		in      map[string][]string
		field   string // the field refused, "" when accepted
		key     string
		answers map[string][]string // checked when accepted
	}{
		{"minimal with default", base(nil), "", "", map[string][]string{"voor_wie": {"7"}, "omgeving": {"test"}, "vanaf": {"2026-03-01"}}},
		{"required empty", base(map[string][]string{"voor_wie": {" "}}), "answers.voor_wie", "field.required", nil},
		{"person unknown", base(map[string][]string{"voor_wie": {"8"}}), "answers.voor_wie", "form.not_a_person", nil},
		{"person not a number", base(map[string][]string{"voor_wie": {"piet"}}), "answers.voor_wie", "form.not_a_person", nil},
		{"date not a date", base(map[string][]string{"vanaf": {"31-02-2026"}}), "answers.vanaf", "form.not_a_date", nil},
		{"date dutch order", base(map[string][]string{"vanaf": {"01-03-2026"}}), "", "", map[string][]string{"vanaf": {"2026-03-01"}}},
		{"choice outside list", base(map[string][]string{"omgeving": {"acceptatie"}}), "answers.omgeving", "field.invalid_choice", nil},
		{"two values for one choice", base(map[string][]string{"omgeving": {"test", "productie"}}), "answers.omgeving", "form.one_value", nil},
		{"multi choice", base(map[string][]string{"groepen": {"hrm", "salaris", "hrm"}}), "", "", map[string][]string{"groepen": {"hrm", "salaris"}}},
		{"multi choice outside list", base(map[string][]string{"groepen": {"hrm", "x"}}), "answers.groepen", "field.invalid_choice", nil},
		{"number above max", base(map[string][]string{"uren": {"41"}}), "answers.uren", "field.range", nil},
		{"number below min", base(map[string][]string{"uren": {"-1"}}), "answers.uren", "field.range", nil},
		{"number with comma", base(map[string][]string{"uren": {"7,5"}}), "", "", map[string][]string{"uren": {"7.5"}}},
		{"not a number", base(map[string][]string{"uren": {"veel"}}), "answers.uren", "form.not_a_number", nil},
		{"condition met, required missing", base(map[string][]string{"omgeving": {"productie"}}), "answers.reden", "field.required", nil},
		{"condition met, answered", base(map[string][]string{"omgeving": {"productie"}, "reden": {"Loonrun"}}), "", "", map[string][]string{"reden": {"Loonrun"}}},
		{"condition unmet drops answer", base(map[string][]string{"reden": {"Zomaar"}}), "", "", map[string][]string{"reden": nil}},
		{"yes/no in Dutch", base(map[string][]string{"spoed": {"ja"}}), "", "", map[string][]string{"spoed": {"true"}}},
		{"yes/no other", base(map[string][]string{"spoed": {"misschien"}}), "answers.spoed", "form.not_yes_no", nil},
		{"place with process", base(map[string][]string{"plek": {"1/2"}}), "", "", map[string][]string{"plek": {"1/2"}}},
		{"place unknown", base(map[string][]string{"plek": {"1/9"}}), "answers.plek", "form.not_a_place", nil},
		{"attachment named", base(map[string][]string{"bijlage": {"formulier.pdf"}}), "", "", map[string][]string{"bijlage": {"formulier.pdf"}}},
		{"attachment missing", base(map[string][]string{"bijlage": {"ander.pdf"}}), "answers.bijlage", "form.not_attached", nil},
		{"unknown field", base(map[string][]string{"kleur": {"rood"}}), "answers.kleur", "form.unknown_field", nil},
		{"control character", base(map[string][]string{"omgeving": {"productie"}, "reden": {"a\x00b"}}), "answers.reden", "field.invalid", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckAnswers(testFields(), tt.in, testLookup)
			if tt.field != "" {
				e, ok := err.(*Error)
				if !ok || len(e.Fields) == 0 || e.Fields[0].Field != tt.field || e.Fields[0].Key != tt.key {
					t.Fatalf("err = %v, want %s on %s", err, tt.key, tt.field)
				}
				if got != nil {
					t.Errorf("answers %v returned with an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			for field, want := range tt.answers {
				var have []string
				for _, a := range got {
					if a.Field == field {
						have = a.Values
					}
				}
				if !slices.Equal(have, want) {
					t.Errorf("%s = %v, want %v", field, have, want)
				}
			}
		})
	}
}

// TestValidateForm is the truth table of the designer's checks.
func TestValidateForm(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(f *Form)
		field string
		key   string
	}{
		{"valid", func(f *Form) {}, "", ""},
		{"no name", func(f *Form) { f.Name.NL = " " }, "name.nl", "field.required"},
		{"bad type", func(f *Form) { f.Type = "x" }, "type", "field.invalid_choice"},
		{"no fields", func(f *Form) { f.Fields = nil }, "fields", "form.no_fields"},
		{"duplicate name", func(f *Form) { f.Fields[3].Name = "omgeving" }, "fields.3.name", "form.duplicate_field"},
		{"bad name", func(f *Form) { f.Fields[0].Name = "Voor wie" }, "fields.0.name", "form.bad_field_name"},
		{"bad kind", func(f *Form) { f.Fields[0].Kind = "colour" }, "fields.0.kind", "field.invalid_choice"},
		{"no label", func(f *Form) { f.Fields[0].Label.NL = "" }, "fields.0.label.nl", "field.required"},
		{"choice without choices", func(f *Form) { f.Fields[1].Choices = nil }, "fields.1.choices", "form.no_choices"},
		{"choice twice", func(f *Form) { f.Fields[1].Choices[1].Value = "productie" }, "fields.1.choices.1", "form.duplicate_choice"},
		{"max below min", func(f *Form) { f.Fields[4].Min, f.Fields[4].Max = fptr(5), fptr(1) }, "fields.4.max", "form.max_below_min"},
		{"condition on later field", func(f *Form) { f.Fields[1].ShowIf = &Condition{Field: "reden", Value: "x"} }, "fields.1.show_if.field", "form.condition_field"},
		{"condition on itself", func(f *Form) { f.Fields[1].ShowIf = &Condition{Field: "omgeving", Value: "test"} }, "fields.1.show_if.field", "form.condition_field"},
		{"condition value outside list", func(f *Form) { f.Fields[5].ShowIf.Value = "acceptatie" }, "fields.5.show_if.value", "form.condition_value"},
		{"default outside list", func(f *Form) { f.Fields[1].Default = "acceptatie" }, "fields.1.default", "field.invalid_choice"},
		{"default out of range", func(f *Form) { f.Fields[4].Default = "50" }, "fields.4.default", "field.range"},
		{"default for a person", func(f *Form) { f.Fields[0].Default = "7" }, "fields.0.default", "form.no_default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &Form{Type: TypeAccess, Name: Texts{NL: "Autorisatie"}, Fields: testFields()}
			tt.edit(f)
			err := ValidateForm(f)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || !slices.ContainsFunc(e.Fields, func(fe FieldError) bool { return fe.Field == tt.field && fe.Key == tt.key }) {
				t.Fatalf("err = %v, want %s on %s", err, tt.key, tt.field)
			}
		})
	}
}

// TestPickForm: a process's own form wins over the type's general form;
// archived forms and other types are never picked.
func TestPickForm(t *testing.T) {
	forms := []Form{
		{ID: 1, Type: TypeAccess},
		{ID: 2, Type: TypeAccess, ProcessID: 5},
		{ID: 3, Type: TypeChange, ProcessID: 5, ArchivedAt: testNow},
		{ID: 4, Type: TypeWish, ProcessID: 6},
	}
	tests := []struct {
		t       Type
		process int64
		want    int64
	}{
		{TypeAccess, 0, 1}, {TypeAccess, 5, 2}, {TypeAccess, 9, 1}, {TypeChange, 5, 0},
		{TypeWish, 0, 0}, {TypeWish, 6, 4}, {TypeQuestion, 0, 0},
	}
	for _, tt := range tests {
		var got int64
		if f := PickForm(forms, tt.t, tt.process); f != nil {
			got = f.ID
		}
		if got != tt.want {
			t.Errorf("PickForm(%s, %d) = %d, want %d", tt.t, tt.process, got, tt.want)
		}
	}
	if err := CheckFormScope(forms, &Form{ID: 9, Type: TypeAccess, ProcessID: 5}); err == nil {
		t.Error("a second form for access/5 was allowed")
	}
	if err := CheckFormScope(forms, &Form{ID: 9, Type: TypeChange, ProcessID: 5}); err != nil {
		t.Errorf("an archived form blocked a new one: %v", err)
	}
	if CheckFormDelete(&Form{InUse: 1}) == nil || CheckFormDelete(&Form{}) != nil {
		t.Error("CheckFormDelete: a form in use must be refused, an unused one allowed")
	}
}

// TestDiffAnswers lists changed, added and removed answers in form order.
func TestDiffAnswers(t *testing.T) {
	before := []Answer{{Field: "omgeving", Values: []string{"test"}}, {Field: "uren", Values: []string{"4"}}}
	after := []Answer{{Field: "omgeving", Values: []string{"productie"}}, {Field: "spoed", Values: []string{"true"}}}
	got := DiffAnswers(testFields(), before, after)
	want := []AnswerChange{{"omgeving", "test", "productie"}, {"uren", "4", ""}, {"spoed", "", "true"}}
	if !slices.Equal(got, want) {
		t.Errorf("DiffAnswers = %v, want %v", got, want)
	}
}

// TestFormTemplatesValid: every ready-made form passes the designer's
// checks, so an admin starting from one can save it unchanged.
func TestFormTemplatesValid(t *testing.T) {
	for _, tpl := range FormTemplates() {
		f := tpl.Form
		if err := ValidateForm(&f); err != nil {
			t.Errorf("%s: %v", tpl.Key, err)
		}
		if f.Name.EN == "" {
			t.Errorf("%s has no English name", tpl.Key)
		}
		for _, fd := range f.Fields {
			if fd.Label.EN == "" {
				t.Errorf("%s.%s has no English label", tpl.Key, fd.Name)
			}
		}
	}
}

// TestCanEditAnswers: whoever manages the request changes its answers in
// any phase; its requester only while it is in Aanvraag; anyone else,
// however much they may read, never.
func TestCanEditAnswers(t *testing.T) {
	intake := request(inPhase(PhaseIntake))
	for _, c := range []struct {
		name string
		a    *Actor
		r    *Request
		want bool
	}{
		{"nobody", nil, intake, false},
		{"requester in Aanvraag", actor(idRequester), intake, true},
		{"requester in Onderzoek", actor(idRequester), request(), false},
		{"requester after closing", actor(idRequester), request(inPhase(PhaseClosed)), false},
		{"another gebruiker", actor(idPlainUser), intake, false},
		{"assignee without the role", actor(idAssignee), intake, false},
		{"key user of the area", actor(idKeyUser, role(RoleKeyUser, areaOwn)), intake, false},
		{"management", actor(idManagement, role(RoleManagement, 0)), intake, false},
		{"functional admin of the area", actor(idFuncOwn, role(RoleFunctionalAdmin, areaOwn)), request(), true},
		{"functional admin of another area", actor(idFuncElse, role(RoleFunctionalAdmin, areaOther)), request(), false},
		{"functional admin after closing", actor(idFunc, role(RoleFunctionalAdmin, 0)), request(inPhase(PhaseClosed)), true},
		{"technical admin, technical request", actor(idTech, role(RoleTechnicalAdmin, 0)), request(ofType(TypeTechnical)), true},
		{"technical admin, question", actor(idTech, role(RoleTechnicalAdmin, 0)), request(), false},
	} {
		if got := CanEditAnswers(c.a, c.r); got != c.want {
			t.Errorf("%s: CanEditAnswers = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestHeldAnswers: what answers name — people and places, with or without
// a process — and nothing else, whatever the other answers hold.
func TestHeldAnswers(t *testing.T) {
	h := HeldAnswers([]Answer{
		{Field: "voor_wie", Kind: FieldPerson, Values: []string{"7"}},
		{Field: "afdeling", Kind: FieldPlace, Values: []string{"3/12"}},
		{Field: "gebied", Kind: FieldPlace, Values: []string{"4"}},
		{Field: "aantal", Kind: FieldNumber, Values: []string{"9"}},
		{Field: "kostenplaats", Kind: FieldText, Values: []string{"5/6"}},
	})
	for _, c := range []struct {
		what string
		got  bool
		want bool
	}{
		{"person 7", h.Person(7), true},
		{"person 9, a number answer", h.Person(9), false},
		{"area 3 with process 12", h.Place(3, 12), true},
		{"area 3 alone", h.Place(3, 0), false},
		{"area 4", h.Place(4, 0), true},
		{"area 4 with a process", h.Place(4, 12), false},
		{"area 5 with process 6, a text answer", h.Place(5, 6), false},
	} {
		if c.got != c.want {
			t.Errorf("%s held: %v, want %v", c.what, c.got, c.want)
		}
	}
	if none := HeldAnswers(nil); none.Person(7) || none.Place(3, 12) {
		t.Error("no answers hold something")
	}
}

func TestAnswerKeys(t *testing.T) {
	long := strings.Repeat("é", MaxKeyedAnswer)
	keys := AnswerKeys([]Answer{
		{Field: "omgeving", Kind: FieldChoice, Values: []string{"productie"}},
		{Field: "rollen", Kind: FieldMulti, Values: []string{"hr", "salaris", "hr"}},
		{Field: "toelichting", Kind: FieldLongText, Values: []string{long + "x"}},
		{Field: "kort", Kind: FieldText, Values: []string{long}},
		{Field: "leeg", Kind: FieldText},
	})
	want := []string{AnswerKey("omgeving", "productie"), AnswerKey("rollen", "hr"), AnswerKey("rollen", "salaris"),
		AnswerKey("kort", long)}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		what string
		a, b [2]string
		same bool
	}{
		{"the same answer", [2]string{"omgeving", "productie"}, [2]string{"omgeving", "productie"}, true},
		{"another value", [2]string{"omgeving", "productie"}, [2]string{"omgeving", "test"}, false},
		{"another field", [2]string{"omgeving", "productie"}, [2]string{"doel", "productie"}, false},
		{"field and value not run together", [2]string{"ab", "c"}, [2]string{"a", "bc"}, false},
		{"capitals count", [2]string{"omgeving", "Productie"}, [2]string{"omgeving", "productie"}, false},
	} {
		if got := AnswerKey(c.a[0], c.a[1]) == AnswerKey(c.b[0], c.b[1]); got != c.same {
			t.Errorf("%s: same key %v, want %v", c.what, got, c.same)
		}
	}
	// A key is one term of the search index: letters and digits only.
	for _, k := range keys {
		if !regexp.MustCompile(`^zqa[0-9a-z]{1,13}$`).MatchString(k) {
			t.Errorf("key %q is not one term", k)
		}
	}
}
