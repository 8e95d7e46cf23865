package beheer

import (
	"slices"
	"strings"
)

// The designer's edits of a form: a functional admin adds, changes, moves
// and removes fields one at a time in the portal, without writing JSON.
// Each edit yields the whole field list, which ValidateForm then checks as
// any save; these rules only refuse what would make the result confusing
// (a condition left pointing at nothing, or at a field below it).

// ParseChoices reads a choice field's options as the designer's text box
// holds them: one per line, "value | Dutch label | English label", where
// only the value is needed (its Dutch label is then the value itself).
func ParseChoices(text string) []Choice {
	var out []Choice
	for line := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.SplitN(line, "|", 3)
		c := Choice{Value: strings.TrimSpace(parts[0])}
		if len(parts) > 1 {
			c.Label.NL = strings.TrimSpace(parts[1])
		}
		if len(parts) > 2 {
			c.Label.EN = strings.TrimSpace(parts[2])
		}
		out = append(out, c)
	}
	return out
}

// ChoicesText writes options as ParseChoices reads them.
func ChoicesText(cs []Choice) string {
	lines := make([]string, len(cs))
	for i, c := range cs {
		line := c.Value
		if c.Label.EN != "" || (c.Label.NL != "" && c.Label.NL != c.Value) {
			line += " | " + c.Label.NL
		}
		if c.Label.EN != "" {
			line += " | " + c.Label.EN
		}
		lines[i] = line
	}
	return strings.Join(lines, "\n")
}

// FieldNameFrom makes a field name from a label, for when the designer
// leaves the name empty: "Vanaf wanneer?" → "vanaf_wanneer". It returns ""
// when the label has no letters to make one of.
func FieldNameFrom(label string) string {
	var b strings.Builder
	under := false
	for _, r := range accents.Replace(strings.ToLower(label)) {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			under = true
			continue
		}
		if under && b.Len() > 0 {
			b.WriteByte('_')
		}
		under = false
		b.WriteRune(r)
	}
	name := b.String()
	if name != "" && (name[0] < 'a' || name[0] > 'z') {
		name = "veld_" + name
	}
	return strings.TrimRight(name[:min(len(name), 40)], "_")
}

// accents are the accented letters Dutch labels use, without accent.
var accents = strings.NewReplacer("á", "a", "à", "a", "ä", "a", "â", "a", "é", "e", "è", "e", "ë", "e", "ê", "e",
	"í", "i", "ì", "i", "ï", "i", "î", "i", "ó", "o", "ò", "o", "ö", "o", "ô", "o", "ú", "u", "ù", "u", "ü", "u",
	"û", "u", "ç", "c", "ñ", "n", "ĳ", "ij")

// PutField adds fd at the end of fields (at is "") or puts it in place of
// the field named at; conditions on the old name follow a renamed field.
// It returns the new list and fd's place in it.
func PutField(fields []FormField, at string, fd FormField) ([]FormField, int, error) {
	out := slices.Clone(fields)
	if at == "" {
		return append(out, fd), len(out), nil
	}
	i := slices.IndexFunc(out, func(f FormField) bool { return f.Name == at })
	if i < 0 {
		return nil, 0, Invalid("fields", "form.field_gone")
	}
	out[i] = fd
	for j := range out {
		if c := out[j].ShowIf; c != nil && c.Field == at && j != i {
			out[j].ShowIf = &Condition{Field: fd.Name, Value: c.Value}
		}
	}
	return out, i, nil
}

// RemoveField removes the field named name, refused while another field
// is shown only on its answer.
func RemoveField(fields []FormField, name string) ([]FormField, error) {
	i := slices.IndexFunc(fields, func(f FormField) bool { return f.Name == name })
	if i < 0 {
		return nil, Invalid("fields", "form.field_gone")
	}
	for _, f := range fields {
		if f.ShowIf != nil && f.ShowIf.Field == name {
			return nil, Invalid("fields", "form.field_needed", "label", f.Label.NL)
		}
	}
	return slices.Delete(slices.Clone(fields), i, i+1), nil
}

// MoveField moves the field named name one place up (up) or down, refused
// when that would put a field above the field its condition asks about.
// Moving the first field up or the last down changes nothing.
func MoveField(fields []FormField, name string, up bool) ([]FormField, error) {
	i := slices.IndexFunc(fields, func(f FormField) bool { return f.Name == name })
	if i < 0 {
		return nil, Invalid("fields", "form.field_gone")
	}
	j := i + 1
	if up {
		j = i - 1
	}
	out := slices.Clone(fields)
	if j < 0 || j >= len(out) {
		return out, nil
	}
	hi, lo := out[min(i, j)], out[max(i, j)] // hi moves down, lo moves up
	if lo.ShowIf != nil && lo.ShowIf.Field == hi.Name {
		return nil, Invalid("fields", "form.move_condition", "label", lo.Label.NL, "on", hi.Label.NL)
	}
	out[i], out[j] = out[j], out[i]
	return out, nil
}

// FormFromTemplate returns a fresh copy of the ready-made form key.
func FormFromTemplate(key string) (Form, bool) {
	for _, t := range FormTemplates() {
		if t.Key == key {
			return t.Form, true
		}
	}
	return Form{}, false
}
