package beheer

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// How answers read: the request page and the queue's export show a stored
// answer the same way — a choice by its label, yes/no as words, a date as
// the reader writes dates, a person or place by name — so an answer never
// reads differently in a spreadsheet than on the page.

// AnswerWords is what showing an answer needs besides its field: the
// reader's language and words, and the names of the people and places the
// answers name (looked up in bulk by whoever shows them).
type AnswerWords struct {
	Lang    string
	Yes, No string
	Day     func(time.Time) string             // how the reader reads a date; nil: as stored
	Name    func(k FieldKind, v string) string // a person's or place's name; "" when unknown
}

// ShowValue is one stored value of field fd as a person reads it. A value
// that cannot be read as its kind (a person since removed) is shown as
// stored rather than hidden.
func ShowValue(fd *FormField, v string, w AnswerWords) string {
	switch fd.Kind {
	case FieldYesNo:
		if v == "true" {
			return w.Yes
		}
		return w.No
	case FieldDate:
		if d, ok := ParseDay(v); ok && w.Day != nil {
			return w.Day(d)
		}
	case FieldChoice, FieldMulti:
		for _, c := range fd.Choices {
			if label := textOrDutch(c.Label, w.Lang); c.Value == v && label != "" {
				return label
			}
		}
	case FieldPerson, FieldPlace:
		if w.Name != nil {
			if name := w.Name(fd.Kind, v); name != "" {
				return name
			}
		}
	}
	return v
}

// ShowAnswer is every value of answer a to field fd as a person reads it,
// in the order given (a multiple choice has several).
func ShowAnswer(fd *FormField, a Answer, w AnswerWords) []string {
	out := make([]string, len(a.Values))
	for i, v := range a.Values {
		out[i] = ShowValue(fd, v, w)
	}
	return out
}

// textOrDutch is a text in lang, or in Dutch when it has none in lang.
func textOrDutch(t Texts, lang string) string {
	if s := t.In(lang); s != "" {
		return s
	}
	return t.NL
}

// PersonAnswerID reads a person answer's stored value; 0 when it is none.
func PersonAnswerID(v string) int64 {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// AnswerColumns are the columns a table of requests filed with the given
// form versions (Form at the version it was filed with: VersionID, Version,
// Fields) needs for their answers, one per field name: forms in the order
// the designer lists them (type, process, form), a form's newest version
// first, fields in their form's order. A field of the same name in several
// forms or versions shares one column, headed by where it first occurs.
func AnswerColumns(versions []Form) []FormField {
	sorted := slices.Clone(versions)
	slices.SortStableFunc(sorted, func(a, b Form) int {
		return cmp.Or(cmp.Compare(slices.Index(Types, a.Type), slices.Index(Types, b.Type)),
			cmp.Compare(a.ProcessID, b.ProcessID), cmp.Compare(a.ID, b.ID), cmp.Compare(b.Version, a.Version))
	})
	var out []FormField
	seen := map[string]bool{}
	for _, f := range sorted {
		for _, fd := range f.Fields {
			if !seen[fd.Name] {
				seen[fd.Name] = true
				out = append(out, fd)
			}
		}
	}
	return out
}
