package beheer

import (
	"strings"
	"time"
)

// How the organisation shows the request types in the new-request form:
// which it offers, and under what name and help text, in Dutch and English.
// Unset texts fall back to the message catalogue, so a type nobody touched
// reads as Beheer ships it.

// MaxTypeHelp bounds a type's help text.
const MaxTypeHelp = 500

// Texts is a text in both languages; "" means the catalogue's.
type Texts struct {
	NL string `json:"nl"`
	EN string `json:"en"`
}

// In returns the text in lang ("nl" or "en"), "" when unset.
func (t Texts) In(lang string) string {
	if lang == "en" {
		return t.EN
	}
	return t.NL
}

// trim trims both texts.
func (t *Texts) trim() { t.NL, t.EN = strings.TrimSpace(t.NL), strings.TrimSpace(t.EN) }

// check adds messages for texts longer than max or with control
// characters, naming the field field.nl / field.en.
func (t Texts) check(v *Validation, field string, max int) {
	validateText(v, field+".nl", t.NL, max, false)
	validateText(v, field+".en", t.EN, max, false)
}

// TypeSetting is one request type as the organisation offers it.
type TypeSetting struct {
	Type      Type      `json:"type"`
	Enabled   bool      `json:"enabled"`
	Label     Texts     `json:"label"`
	Help      Texts     `json:"help"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// PriorityLabel is the name a priority goes by in this organisation.
type PriorityLabel struct {
	Priority Priority `json:"priority"`
	Label    Texts    `json:"label"`
}

// DefaultTypeSettings is every type enabled with the catalogue's texts.
func DefaultTypeSettings() []TypeSetting {
	out := make([]TypeSetting, 0, len(Types))
	for _, t := range Types {
		out = append(out, TypeSetting{Type: t, Enabled: true})
	}
	return out
}

// ValidateTypeSettings trims and checks a complete table of type settings:
// every type once, short labels and help texts, and the question type
// always on — it is what mail to the intake address becomes and the type a
// person picks when nothing else fits.
func ValidateTypeSettings(ts []TypeSetting) error {
	var v Validation
	seen := map[Type]bool{}
	for i := range ts {
		t := &ts[i]
		f := string(t.Type)
		if !t.Type.Valid() || seen[t.Type] {
			v.Add("types", "field.invalid_choice", "choices", joinCodes(Types))
			continue
		}
		seen[t.Type] = true
		t.Label.trim()
		t.Help.trim()
		t.Label.check(&v, f+".label", MaxName)
		t.Help.check(&v, f+".help", MaxTypeHelp)
		if t.Type == TypeQuestion && !t.Enabled {
			v.Add(f+".enabled", "types.question_required")
		}
	}
	if len(seen) != len(Types) && len(v.Fields) == 0 {
		v.Add("types", "types.all_required")
	}
	return v.Err()
}

// ValidatePriorityLabels trims and checks the priorities' labels: every
// priority once, short labels.
func ValidatePriorityLabels(ls []PriorityLabel) error {
	var v Validation
	seen := map[Priority]bool{}
	for i := range ls {
		l := &ls[i]
		if !l.Priority.Valid() || seen[l.Priority] {
			v.Add("priorities", "field.invalid_choice", "choices", joinCodes(Priorities))
			continue
		}
		seen[l.Priority] = true
		l.Label.trim()
		l.Label.check(&v, string(l.Priority)+".label", MaxName)
	}
	if len(seen) != len(Priorities) && len(v.Fields) == 0 {
		v.Add("priorities", "types.all_required")
	}
	return v.Err()
}

// CheckTypeOffered refuses a new request of a type the organisation has
// switched off, naming the field.
func CheckTypeOffered(ts []TypeSetting, t Type) error {
	for _, s := range ts {
		if s.Type == t && !s.Enabled {
			var v Validation
			v.Add("type", "types.disabled")
			return v.Err()
		}
	}
	return nil
}
