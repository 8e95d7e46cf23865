package server

import (
	"net/http"
	"slices"
	"strings"

	"beheer"
)

// answerReader shows stored answers as a person reads them, on the
// request page, its timeline and the edit page: each field by its
// question, and every value through beheer.ShowValue, as the export shows
// it — people by name (also after they left), places by area and process.
type answerReader struct {
	p      *page
	fields []beheer.FormField
	words  beheer.AnswerWords
}

// newAnswerReader reads the names an answer reader needs for the request's
// fields: of the people and places named in its answers and in the
// answers changed in its audit trail, in one look-up (store.AnswerNames).
func (s *Server) newAnswerReader(r *http.Request, p *page, fields []beheer.FormField, answers []beheer.Answer, rec *requestRecords) (*answerReader, error) {
	ar := &answerReader{p: p, fields: fields}
	named := slices.Clone(answers)
	for _, e := range rec.audit {
		field, ok := strings.CutPrefix(e.Field, "answer.")
		if fd := ar.field(field); ok && fd != nil && e.Action == "request.updated" {
			named = append(named, beheer.Answer{Field: field, Kind: fd.Kind, Values: []string{e.Before, e.After}})
		}
	}
	names, err := s.store.AnswerNames(r.Context(), named)
	ar.words = answerWords(p, names, p.Date)
	return ar, err
}

// field is the field named name, or nil.
func (ar *answerReader) field(name string) *beheer.FormField {
	for i := range ar.fields {
		if ar.fields[i].Name == name {
			return &ar.fields[i]
		}
	}
	return nil
}

// label is the question of the field named name; a field the form version
// does not have keeps its name.
func (ar *answerReader) label(name string) string {
	if fd := ar.field(name); fd != nil {
		return textIn(fd.Label, string(ar.p.Lang))
	}
	return name
}

// text shows one stored value of fd; a person no longer known is
// "someone".
func (ar *answerReader) text(fd *beheer.FormField, v string) string {
	if fd.Kind == beheer.FieldPerson && ar.words.Name(fd.Kind, v) == "" {
		return ar.p.T("req.tl.someone")
	}
	return beheer.ShowValue(fd, v, ar.words)
}

// changed shows one answer as an audit row of DiffAnswers holds it: the
// values of a multiple choice joined by ", ", any other answer whole;
// nothing is a dash.
func (ar *answerReader) changed(name, joined string) string {
	fd := ar.field(name)
	switch {
	case joined == "":
		return "–"
	case fd == nil:
		return joined
	case fd.Kind != beheer.FieldMulti:
		return ar.text(fd, joined)
	}
	parts := strings.Split(joined, ", ")
	for i, v := range parts {
		parts[i] = ar.text(fd, v)
	}
	return strings.Join(parts, ", ")
}
