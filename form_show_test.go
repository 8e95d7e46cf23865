package beheer

import (
	"slices"
	"testing"
	"time"
)

// TestShowValue is the truth table of how a stored answer reads.
func TestShowValue(t *testing.T) {
	fields := testFields()
	fields[1].Choices[0].Label = Texts{NL: "Productie", EN: "Production"}
	fields[1].Choices[1].Label = Texts{NL: "Test"} // no English label: Dutch
	field := func(name string) *FormField { return fieldNamed(fields, name) }
	names := func(k FieldKind, v string) string {
		switch {
		case k == FieldPerson && v == "7":
			return "Jan Jansen"
		case k == FieldPlace && v == "1/2":
			return "HR – Verzuim"
		}
		return ""
	}
	nl := AnswerWords{Lang: "nl", Yes: "Ja", No: "Nee", Name: names,
		Day: func(d time.Time) string { return d.Format("02-01-2006") }}
	en := AnswerWords{Lang: "en", Yes: "Yes", No: "No"}
	tests := []struct {
		field, value string
		w            AnswerWords
		want         string
	}{
		{"omgeving", "productie", nl, "Productie"},
		{"omgeving", "productie", en, "Production"},
		{"omgeving", "test", en, "Test"},
		{"omgeving", "gone", nl, "gone"}, // a choice since removed reads as stored
		{"groepen", "hrm", nl, "hrm"},    // a choice without a label: its value
		{"spoed", "true", nl, "Ja"},
		{"spoed", "false", en, "No"},
		{"vanaf", "2026-03-01", nl, "01-03-2026"},
		{"vanaf", "2026-03-01", en, "2026-03-01"}, // no date format given: as stored
		{"voor_wie", "7", nl, "Jan Jansen"},
		{"voor_wie", "8", nl, "8"}, // nobody by that id
		{"voor_wie", "7", en, "7"}, // no names given
		{"plek", "1/2", nl, "HR – Verzuim"},
		{"uren", "7.5", nl, "7.5"},
		{"reden", "Omdat het moet", nl, "Omdat het moet"},
		{"bijlage", "formulier.pdf", nl, "formulier.pdf"},
	}
	for _, tt := range tests {
		if got := ShowValue(field(tt.field), tt.value, tt.w); got != tt.want {
			t.Errorf("%s=%q (%s): %q, want %q", tt.field, tt.value, tt.w.Lang, got, tt.want)
		}
	}
	got := ShowAnswer(field("omgeving"), Answer{Field: "omgeving", Values: []string{"test", "productie"}}, en)
	if !slices.Equal(got, []string{"Test", "Production"}) {
		t.Errorf("ShowAnswer: %q", got)
	}
}

// TestAnswerColumns is the truth table of the export's answer columns.
func TestAnswerColumns(t *testing.T) {
	f := func(name string) FormField { return FormField{Name: name, Label: Texts{NL: name}} }
	access1 := Form{ID: 1, Type: TypeAccess, Version: 1, Fields: []FormField{f("voor_wie"), f("omgeving")}}
	access2 := Form{ID: 1, Type: TypeAccess, Version: 2, Fields: []FormField{f("voor_wie"), f("rol"), f("omgeving")}}
	incident := Form{ID: 2, Type: TypeIncident, Fields: []FormField{f("omgeving"), f("foutcode")}}
	perProcess := Form{ID: 3, Type: TypeAccess, ProcessID: 4, Fields: []FormField{f("kostenplaats")}}
	names := func(fields []FormField) []string {
		var out []string
		for _, fd := range fields {
			out = append(out, fd.Name)
		}
		return out
	}
	tests := []struct {
		name     string
		versions []Form
		want     []string
	}{
		{"none", nil, nil},
		{"one version", []Form{access1}, []string{"voor_wie", "omgeving"}},
		{"newest version's order first", []Form{access1, access2}, []string{"voor_wie", "rol", "omgeving"}},
		{"types in their order, shared names once", []Form{access1, incident}, []string{"omgeving", "foutcode", "voor_wie"}},
		{"the type's form for every process before one process's", []Form{perProcess, access1},
			[]string{"voor_wie", "omgeving", "kostenplaats"}},
	}
	for _, tt := range tests {
		if got := names(AnswerColumns(tt.versions)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
