package beheer

import (
	"slices"
	"testing"
)

func TestParseChoices(t *testing.T) {
	cases := []struct {
		text string
		want []Choice
	}{
		{"", nil},
		{"ja\n\nnee", []Choice{{Value: "ja"}, {Value: "nee"}}},
		{" prod | Productie | Production \r\ntest|Test", []Choice{{Value: "prod", Label: Texts{NL: "Productie", EN: "Production"}},
			{Value: "test", Label: Texts{NL: "Test"}}}},
		{"a | b | c | d", []Choice{{Value: "a", Label: Texts{NL: "b", EN: "c | d"}}}},
	}
	for _, c := range cases {
		got := ParseChoices(c.text)
		if !slices.Equal(got, c.want) {
			t.Errorf("ParseChoices(%q) = %+v, want %+v", c.text, got, c.want)
		}
		if back := ParseChoices(ChoicesText(got)); !slices.Equal(back, got) {
			t.Errorf("ChoicesText round trip of %q = %+v", c.text, back)
		}
	}
}

func TestFieldNameFrom(t *testing.T) {
	cases := map[string]string{
		"Vanaf wanneer?":           "vanaf_wanneer",
		"Financiële administratie": "financiele_administratie",
		"  --  ":                   "",
		"2e leidinggevende":        "veld_2e_leidinggevende",
		"Een heel erg lange vraag die veel langer is dan veertig tekens": "een_heel_erg_lange_vraag_die_veel_langer",
	}
	for in, want := range cases {
		got := FieldNameFrom(in)
		if got != want {
			t.Errorf("FieldNameFrom(%q) = %q, want %q", in, got, want)
		}
		if got != "" && !ValidFieldName(got) {
			t.Errorf("FieldNameFrom(%q) = %q is no valid name", in, got)
		}
	}
}

// designFields are a form whose third field is shown on the second.
func designFields() []FormField {
	return []FormField{
		{Name: "wie", Kind: FieldText, Label: tx("Wie", "")},
		{Name: "tijdelijk", Kind: FieldYesNo, Label: tx("Tijdelijk", "")},
		{Name: "tot", Kind: FieldDate, Label: tx("Tot", ""), ShowIf: &Condition{Field: "tijdelijk", Value: "true"}},
	}
}

func names(fs []FormField) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

func TestPutField(t *testing.T) {
	fs, i, err := PutField(designFields(), "", FormField{Name: "extra"})
	if err != nil || i != 3 || !slices.Equal(names(fs), []string{"wie", "tijdelijk", "tot", "extra"}) {
		t.Fatalf("add: %v %d %v", names(fs), i, err)
	}
	fs, i, err = PutField(designFields(), "tijdelijk", FormField{Name: "voorlopig", Kind: FieldYesNo})
	if err != nil || i != 1 || fs[2].ShowIf.Field != "voorlopig" || fs[2].ShowIf.Value != "true" {
		t.Fatalf("rename: %+v %d %v", fs, i, err)
	}
	if designFields()[2].ShowIf.Field != "tijdelijk" {
		t.Fatal("PutField changed its input")
	}
	if _, _, err := PutField(designFields(), "weg", FormField{}); fieldKey(err, "fields") != "form.field_gone" {
		t.Fatalf("unknown field: %v", err)
	}
}

func TestRemoveAndMoveField(t *testing.T) {
	cases := []struct {
		name    string
		do      func([]FormField) ([]FormField, error)
		want    []string
		refusal string
	}{
		{"remove a free field", func(f []FormField) ([]FormField, error) { return RemoveField(f, "wie") }, []string{"tijdelijk", "tot"}, ""},
		{"remove a conditional field", func(f []FormField) ([]FormField, error) { return RemoveField(f, "tot") }, []string{"wie", "tijdelijk"}, ""},
		{"remove a field a condition needs", func(f []FormField) ([]FormField, error) { return RemoveField(f, "tijdelijk") }, nil, "form.field_needed"},
		{"remove an unknown field", func(f []FormField) ([]FormField, error) { return RemoveField(f, "weg") }, nil, "form.field_gone"},
		{"move down", func(f []FormField) ([]FormField, error) { return MoveField(f, "wie", false) }, []string{"tijdelijk", "wie", "tot"}, ""},
		{"move up", func(f []FormField) ([]FormField, error) { return MoveField(f, "tijdelijk", true) }, []string{"tijdelijk", "wie", "tot"}, ""},
		{"first up stays", func(f []FormField) ([]FormField, error) { return MoveField(f, "wie", true) }, []string{"wie", "tijdelijk", "tot"}, ""},
		{"last down stays", func(f []FormField) ([]FormField, error) { return MoveField(f, "tot", false) }, []string{"wie", "tijdelijk", "tot"}, ""},
		{"conditional above its field", func(f []FormField) ([]FormField, error) { return MoveField(f, "tot", true) }, nil, "form.move_condition"},
		{"field below its conditional", func(f []FormField) ([]FormField, error) { return MoveField(f, "tijdelijk", false) }, nil, "form.move_condition"},
		{"move an unknown field", func(f []FormField) ([]FormField, error) { return MoveField(f, "weg", true) }, nil, "form.field_gone"},
	}
	for _, c := range cases {
		in := designFields()
		got, err := c.do(in)
		if fieldKey(err, "fields") != c.refusal || (c.refusal == "" && err != nil) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.refusal)
			continue
		}
		if c.refusal == "" && !slices.Equal(names(got), c.want) {
			t.Errorf("%s: %v, want %v", c.name, names(got), c.want)
		}
		if !slices.Equal(names(in), []string{"wie", "tijdelijk", "tot"}) {
			t.Errorf("%s changed its input", c.name)
		}
	}
}

func TestFormFromTemplate(t *testing.T) {
	f, ok := FormFromTemplate("authorisation")
	if !ok || f.Type != TypeAccess || len(f.Fields) == 0 || ValidateForm(&f) != nil {
		t.Fatalf("authorisation template: %v %+v", ok, f)
	}
	if _, ok := FormFromTemplate("nope"); ok {
		t.Fatal("unknown template found")
	}
}

// TestValidateFormStoresCanonicalValues: a condition and a default typed
// as people write them are kept as answers are stored, so the condition
// matches and the default is filled in.
func TestValidateFormStoresCanonicalValues(t *testing.T) {
	f := Form{Type: TypeAccess, Name: tx("Test", ""), Fields: []FormField{
		{Name: "tijdelijk", Kind: FieldYesNo, Label: tx("Tijdelijk", ""), Default: "nee"},
		{Name: "tot", Kind: FieldDate, Label: tx("Tot", ""), Default: "01-03-2026", ShowIf: &Condition{Field: "tijdelijk", Value: "ja"}},
		{Name: "uren", Kind: FieldNumber, Label: tx("Uren", ""), Default: "7,5"},
	}}
	if err := ValidateForm(&f); err != nil {
		t.Fatal(err)
	}
	if f.Fields[0].Default != "false" || f.Fields[1].ShowIf.Value != "true" || f.Fields[1].Default != "2026-03-01" || f.Fields[2].Default != "7.5" {
		t.Fatalf("not canonical: %+v %+v %+v", f.Fields[0], f.Fields[1], f.Fields[2])
	}
}

func TestAnswerTexts(t *testing.T) {
	fields := []FormField{
		{Name: "wie", Kind: FieldPerson}, {Name: "omgeving", Kind: FieldChoice, Choices: environments},
		{Name: "vanaf", Kind: FieldDate}, {Name: "spoed", Kind: FieldYesNo}, {Name: "uitleg", Kind: FieldLongText},
		{Name: "uren", Kind: FieldNumber},
	}
	answers := []Answer{{Field: "wie", Values: []string{"7"}}, {Field: "omgeving", Values: []string{"test"}},
		{Field: "vanaf", Values: []string{"2026-03-01"}}, {Field: "spoed", Values: []string{"true"}},
		{Field: "uitleg", Values: []string{"Voor de controller"}}, {Field: "uren", Values: []string{"7.5"}},
		{Field: "weg", Values: []string{"oud"}}}
	name := func(k FieldKind, v string) string { return string(k) + " " + v }
	want := []string{"person 7", "test", "Testomgeving", "Test", "2026-03-01", "01-03-2026", "Voor de controller", "7.5"}
	if got := AnswerTexts(fields, answers, name); !slices.Equal(got, want) {
		t.Fatalf("AnswerTexts = %q, want %q", got, want)
	}
	if got := AnswerTexts(fields, answers[:1], nil); len(got) != 0 {
		t.Fatalf("without names: %q", got)
	}
}
