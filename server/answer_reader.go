package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"beheer"
	"beheer/store"
)

// answerReader shows stored answers as a person reads them, on the
// request page and in its timeline: each field by its question, choices
// by their labels, yes/no and dates as words, people by name (also after
// they left) and places by the names of their area and process.
type answerReader struct {
	p         *page
	fields    []beheer.FormField
	people    map[int64]string
	areas     []beheer.Area
	processes []beheer.Process
}

// newAnswerReader reads the names an answer reader needs for the request's
// fields: of the people named in its answers and in the answers changed in
// its audit trail, in one look-up.
func (s *Server) newAnswerReader(r *http.Request, p *page, fields []beheer.FormField, answers []beheer.Answer, rec *requestRecords) (*answerReader, error) {
	ar := &answerReader{p: p, fields: fields, areas: rec.areas, processes: rec.processes}
	var ids []int64
	named := func(field, v string) {
		if fd := ar.field(field); fd != nil && fd.Kind == beheer.FieldPerson {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	for _, a := range answers {
		for _, v := range a.Values {
			named(a.Field, v)
		}
	}
	for _, e := range rec.audit {
		if field, ok := strings.CutPrefix(e.Field, "answer."); ok && e.Action == "request.updated" {
			named(field, e.Before)
			named(field, e.After)
		}
	}
	people, err := s.store.PeopleNamed(r.Context(), ids, false)
	ar.people = map[int64]string{}
	for _, u := range people {
		ar.people[u.ID] = u.Name
	}
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

// text shows one stored value of fd.
func (ar *answerReader) text(fd *beheer.FormField, v string) string {
	switch fd.Kind {
	case beheer.FieldPerson:
		id, _ := strconv.ParseInt(v, 10, 64)
		if name, ok := ar.people[id]; ok {
			return name
		}
		return ar.p.T("req.tl.someone")
	case beheer.FieldPlace:
		return ar.place(v)
	}
	return beheer.ShowValue(fd, v, answerWords(ar.p, store.AnswerNames{}, ar.p.Date))
}

// place names a place answer: its area, and its process after a dash.
func (ar *answerReader) place(v string) string {
	area, process, ok := beheer.ParsePlace(v)
	if !ok {
		return v
	}
	name := v
	for _, a := range ar.areas {
		if a.ID == area {
			name = a.Name
		}
	}
	for _, pr := range ar.processes {
		if pr.ID == process {
			name += " – " + pr.Name
		}
	}
	return name
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
