package beheer

import (
	"fmt"
	"strings"
	"testing"
)

// TestValidateTypeSettings: every type once, short texts, the question
// type always on.
func TestValidateTypeSettings(t *testing.T) {
	with := func(f func([]TypeSetting) []TypeSetting) []TypeSetting { return f(DefaultTypeSettings()) }
	tests := []struct {
		name string
		ts   []TypeSetting
		want result
	}{
		{"defaults", DefaultTypeSettings(), allowed},
		{"wish_off_renamed", with(func(ts []TypeSetting) []TypeSetting {
			ts[1].Enabled, ts[1].Label = false, Texts{NL: "Idee", EN: "Idea"}
			return ts
		}), allowed},
		{"question_off", with(func(ts []TypeSetting) []TypeSetting { ts[0].Enabled = false; return ts }), invalid("question.enabled")},
		{"label_too_long", with(func(ts []TypeSetting) []TypeSetting { ts[2].Label.EN = strings.Repeat("x", MaxName+1); return ts }), invalid("change.label.en")},
		{"help_too_long", with(func(ts []TypeSetting) []TypeSetting { ts[3].Help.NL = strings.Repeat("x", MaxTypeHelp+1); return ts }), invalid("incident.help.nl")},
		{"missing_type", DefaultTypeSettings()[:5], invalid("types")},
		{"twice", append(DefaultTypeSettings(), TypeSetting{Type: TypeWish}), invalid("types")},
		{"unknown", append(DefaultTypeSettings()[:5], TypeSetting{Type: "klacht"}), invalid("types")},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s=%s", tt.name, outcomeName(tt.want)), func(t *testing.T) {
			expect(t, "", ValidateTypeSettings(tt.ts), tt.want)
		})
	}
	ls := []PriorityLabel{{Priority: PriorityLow}, {Priority: PriorityNormal}, {Priority: PriorityHigh}, {Priority: PriorityUrgent, Label: Texts{NL: " Spoed "}}}
	expect(t, "", ValidatePriorityLabels(ls), allowed)
	if ls[3].Label.NL != "Spoed" {
		t.Errorf("label not trimmed: %q", ls[3].Label.NL)
	}
	expect(t, "", ValidatePriorityLabels(ls[:3]), invalid("priorities"))
	expect(t, "", CheckTypeOffered(with(func(ts []TypeSetting) []TypeSetting { ts[1].Enabled = false; return ts }), TypeWish), invalid("type"))
	expect(t, "", CheckTypeOffered(DefaultTypeSettings(), TypeWish), allowed)
	if (Texts{NL: "Vraag", EN: "Question"}).In("en") != "Question" {
		t.Error("Texts.In")
	}
}
